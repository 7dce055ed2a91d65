import { Paper, Select, Stack, Text } from '@mantine/core';
import { RECIPIENT_TYPE_LABELS } from '../../../../shared/disclosure';
import type { Recipient } from '../../../../shared/types';
import { ErrorAlert } from '../../ui';
import { SealingNotice } from '../SealingNotice';

/** Step 1: one of the active registered recipients, with its address shown. */
export function RecipientStep({
  recipients,
  loading,
  error,
  value,
  onChange,
}: {
  recipients: Recipient[];
  loading: boolean;
  error: string | null;
  value: string | null;
  onChange(id: string | null): void;
}) {
  const chosen = recipients.find((r) => r.id === value);
  return (
    <Stack gap="sm" maw={640}>
      <ErrorAlert>{error}</ErrorAlert>
      <Select
        label="Recipient"
        placeholder={loading ? 'Loading…' : 'Choose a registered recipient'}
        data={recipients.map((r) => ({
          value: r.id,
          label: `${r.name} · ${RECIPIENT_TYPE_LABELS[r.type]}`,
        }))}
        value={value}
        onChange={onChange}
        searchable
        nothingFoundMessage="No such recipient"
        allowDeselect={false}
      />
      {!loading && recipients.length === 0 && (
        <Text size="sm" c="dimmed">
          No recipient is registered. Compliance registers third parties under Recipients.
        </Text>
      )}
      {chosen && (
        <Paper withBorder p="sm" bg="var(--app-stripe)">
          <Text fw={600} size="sm">
            {chosen.name}
          </Text>
          <Text size="sm" c="dimmed">
            {RECIPIENT_TYPE_LABELS[chosen.type]}
            {chosen.reference ? ` · ref. ${chosen.reference}` : ''}
          </Text>
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
            {chosen.contact}
          </Text>
        </Paper>
      )}
      {chosen && <SealingNotice recipient={chosen} />}
    </Stack>
  );
}
