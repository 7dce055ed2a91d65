import { ActionIcon, Menu, Tooltip, useMantineColorScheme } from '@mantine/core';
import type { MantineColorScheme } from '@mantine/core';
import { IconCheck, IconDeviceDesktop, IconMoon, IconSun } from '@tabler/icons-react';
import { SCHEMES } from '../settings/AppearanceSettings';

const ICONS = { auto: IconDeviceDesktop, light: IconSun, dark: IconMoon } as const;

/** The colour scheme from the header, for every role (Settings is for administrators only). */
export function SchemeMenu() {
  const { colorScheme, setColorScheme } = useMantineColorScheme();
  const Current = ICONS[colorScheme];
  return (
    <Menu position="bottom-end" withArrow>
      <Menu.Target>
        <Tooltip label="Colour scheme">
          <ActionIcon variant="default" size="lg" aria-label="Colour scheme">
            <Current size={18} />
          </ActionIcon>
        </Tooltip>
      </Menu.Target>
      <Menu.Dropdown>
        {SCHEMES.map(({ value, label }) => {
          const Icon = ICONS[value];
          return (
            <Menu.Item
              key={value}
              leftSection={<Icon size={16} />}
              rightSection={colorScheme === value ? <IconCheck size={14} /> : null}
              onClick={() => setColorScheme(value as MantineColorScheme)}
              aria-checked={colorScheme === value}
              role="menuitemradio"
            >
              {label}
            </Menu.Item>
          );
        })}
      </Menu.Dropdown>
    </Menu>
  );
}
