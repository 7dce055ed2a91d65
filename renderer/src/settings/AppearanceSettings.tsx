import { Paper, SegmentedControl, Stack, Text, useMantineColorScheme } from '@mantine/core';
import type { MantineColorScheme } from '@mantine/core';

export const SCHEMES: { value: MantineColorScheme; label: string }[] = [
  { value: 'auto', label: 'As the system' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
];

/** Light, dark or the OS's setting: kept on this workstation only (its local preferences). */
export function AppearanceSettings() {
  const { colorScheme, setColorScheme } = useMantineColorScheme();
  return (
    <Paper withBorder p="lg" component="section" aria-labelledby="appearance-heading">
      <Stack gap="xs">
        <Text fw={600} id="appearance-heading">
          Appearance
        </Text>
        <Text size="sm" c="dimmed">
          The colour scheme of this workstation&apos;s console. &ldquo;As the system&rdquo; follows
          the operating system&apos;s light or dark setting.
        </Text>
        <SegmentedControl
          aria-label="Colour scheme"
          value={colorScheme}
          onChange={(v) => setColorScheme(v as MantineColorScheme)}
          data={SCHEMES}
          w="fit-content"
        />
      </Stack>
    </Paper>
  );
}
