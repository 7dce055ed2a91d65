import { Badge, Group, Paper, Text, Title } from '@mantine/core';
import type { Standing } from '../../../shared/catalogue';
import type { AccountDetail } from '../../../shared/types';
import {
  MaskedValue,
  STANDING_COLORS,
  STANDING_LABELS,
  formatTimestamp,
  isMasked,
} from '../format';
import { accountTitle } from './accountTitle';

/** The account's name, number and standing (as far as the role sees them), and its versions. */
export function AccountSummary({ detail }: { detail: AccountDetail }) {
  const { access, fields } = detail;
  const standing = fields.standing;
  return (
    <Paper p="md" withBorder>
      <Group gap="sm">
        <Title order={2} fz="h3" data-testid="account-title">
          {isMasked(access, 'lastName') ? (
            <MaskedValue>{accountTitle(detail)}</MaskedValue>
          ) : (
            accountTitle(detail)
          )}
        </Title>
        {typeof fields.accountNumber === 'string' && (
          <Badge variant="outline" color="gray" radius="sm" size="lg" ff="monospace">
            {fields.accountNumber}
          </Badge>
        )}
        {typeof standing === 'string' && !isMasked(access, 'standing') && (
          <Badge color={STANDING_COLORS[standing as Standing] ?? 'gray'} variant="light">
            {STANDING_LABELS[standing as Standing] ?? standing}
          </Badge>
        )}
      </Group>
      <Text size="sm" c="dimmed" mt={6} data-testid="account-meta">
        Created {formatTimestamp(detail.createdAt)} · Updated {formatTimestamp(detail.updatedAt)} ·
        Version {detail.version}
      </Text>
    </Paper>
  );
}
