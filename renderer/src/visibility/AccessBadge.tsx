import { Badge } from '@mantine/core';
import type { Access } from '../../../shared/visibility';

export const ACCESS_LABELS: Record<Access, string> = {
  hidden: 'Hidden',
  masked: 'Masked',
  read: 'Read',
  edit: 'Edit',
};

export const ACCESS_COLORS: Record<Access, string> = {
  hidden: 'gray',
  masked: 'yellow',
  read: 'blue',
  edit: 'teal',
};

export function AccessBadge({ access }: { access: Access }) {
  return (
    <Badge color={ACCESS_COLORS[access]} variant="light" radius="sm" size="sm" w={72}>
      {ACCESS_LABELS[access]}
    </Badge>
  );
}
