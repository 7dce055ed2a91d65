import { Group, Paper, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import {
  LEGAL_BASIS,
  PURPOSE_LABELS,
  PURPOSE_RULES,
  RECIPIENT_TYPE_LABELS,
  type Purpose,
} from '../../../../shared/disclosure';
import { ROLE_LABELS } from '../../../../shared/roles';

/** The rule the gate applies to a purpose, shown before anything is asked. */
export function PurposeRule({ purpose }: { purpose: Purpose | null }) {
  if (!purpose) {
    return (
      <Text size="sm" c="dimmed" mt={30}>
        Choose a purpose to see the rule the gate applies.
      </Text>
    );
  }
  const rule = PURPOSE_RULES[purpose];
  return (
    <Paper withBorder p="md" bg="var(--app-hover)" data-testid="purpose-rule">
      <Stack gap={8}>
        <Text fw={600}>The rule for {PURPOSE_LABELS[purpose].toLowerCase()}</Text>
        <RuleLine label="Recipients">
          {rule.recipientTypes.map((t) => RECIPIENT_TYPE_LABELS[t]).join(', ')}
        </RuleLine>
        <RuleLine label="Condition">{rule.condition}</RuleLine>
        <RuleLine label="Approval">
          {rule.approvals.length === 0
            ? 'None: admitted at once when the rule holds'
            : rule.approvals.map((r) => ROLE_LABELS[r]).join(' and ')}
        </RuleLine>
        <RuleLine label="Legal basis">{LEGAL_BASIS[purpose]}</RuleLine>
      </Stack>
    </Paper>
  );
}

function RuleLine({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Group gap="sm" wrap="nowrap" align="flex-start">
      <Text size="sm" c="dimmed" w={90} style={{ flex: 'none' }}>
        {label}
      </Text>
      <Text size="sm">{children}</Text>
    </Group>
  );
}
