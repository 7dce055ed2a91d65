import { Group, Paper, Progress, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import type { JobProgress } from '../jobs';

/** One numbered step of the import. */
export function Step({
  number,
  title,
  icon,
  children,
}: {
  number: number;
  title: string;
  icon: ReactNode;
  children: ReactNode;
}) {
  const id = `import-step-${number}`;
  return (
    <Paper withBorder p="lg" component="section" aria-labelledby={id}>
      <Group gap="xs" mb="sm">
        {icon}
        <Title order={3} fz="md" id={id}>
          {number}. {title}
        </Title>
      </Group>
      <Stack gap="sm">{children}</Stack>
    </Paper>
  );
}

/** How far a check or an import has got. */
export function JobBar({
  label,
  progress,
  text,
}: {
  label: string;
  progress: JobProgress;
  text(p: JobProgress): string;
}) {
  const percent = progress.total > 0 ? Math.min(100, (progress.done / progress.total) * 100) : 0;
  return (
    <Stack gap={4}>
      <Progress value={percent} size="lg" animated aria-label={label} />
      <Text size="xs" c="dimmed" aria-live="polite" data-testid="import-progress">
        {text(progress)}
      </Text>
    </Stack>
  );
}
