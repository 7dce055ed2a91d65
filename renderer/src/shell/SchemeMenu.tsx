import {
  ActionIcon,
  Popover,
  SegmentedControl,
  Tooltip,
  useMantineColorScheme,
} from '@mantine/core';
import type { MantineColorScheme } from '@mantine/core';
import { IconDeviceDesktop, IconMoon, IconSun } from '@tabler/icons-react';
import { SCHEMES } from '../settings/AppearanceSettings';

const ICONS = { auto: IconDeviceDesktop, light: IconSun, dark: IconMoon } as const;

/** The colour scheme from the header, for every role (Settings is for administrators only). */
export function SchemeMenu() {
  const { colorScheme, setColorScheme } = useMantineColorScheme();
  const Current = ICONS[colorScheme];
  return (
    <Popover position="bottom-end" withArrow trapFocus returnFocus>
      <Popover.Target>
        <Tooltip label="Colour scheme">
          <ActionIcon variant="default" size="lg" aria-label="Colour scheme">
            <Current size={18} />
          </ActionIcon>
        </Tooltip>
      </Popover.Target>
      <Popover.Dropdown aria-label="Colour scheme">
        <SegmentedControl
          aria-label="Colour scheme"
          orientation="vertical"
          value={colorScheme}
          onChange={(v) => setColorScheme(v as MantineColorScheme)}
          data={SCHEMES}
        />
      </Popover.Dropdown>
    </Popover>
  );
}
