import { Stack, type MantineSpacing } from '@mantine/core';
import type { ReactNode } from 'react';
import { ScreenHeader } from './ui';

/**
 * The frame of every console section: a scrolling column with the title, its description and
 * the section's actions on top. Dialogs go among the children: Mantine's Modal renders into a
 * portal, so it takes no place in the column.
 */
export function Screen({
  title,
  description,
  actions,
  gap = 'md',
  children,
}: {
  title: string;
  description?: ReactNode;
  actions?: ReactNode;
  gap?: MantineSpacing;
  children: ReactNode;
}) {
  return (
    <div className="section-scroll">
      <Stack gap={gap} pb="lg">
        <ScreenHeader title={title} description={description} actions={actions} />
        {children}
      </Stack>
    </div>
  );
}
