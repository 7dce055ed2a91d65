import { SimpleGrid, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { ROLE_LABELS } from '../../../shared/roles';
import type { DisclosureRecordView } from '../../../shared/types';
import { formatTimestamp } from '../format';
import { fieldLabel, recipientTypeLabel } from './labels';

/** Everything a log record holds, under its row when the row is opened. */
export function RecordDetail({ record: r }: { record: DisclosureRecordView }) {
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md" py={4} data-testid="record-detail">
      <Stack gap={6}>
        <Detail label="Legal basis">{r.legalBasis}</Detail>
        {r.recipientName && (
          <Detail label="Recipient">
            {r.recipientName} ({recipientTypeLabel(r.recipientType)})
            <br />
            {r.recipientContact}
          </Detail>
        )}
        <Detail label="Approvers">
          {r.approvers.length === 0
            ? 'None needed'
            : r.approvers
                .map((a) => `${a.name} (${ROLE_LABELS[a.role]}), ${formatTimestamp(a.at)}`)
                .join('; ')}
        </Detail>
        {r.refusal && (
          <Detail label="Refused because">
            <Text span inherit c="red">
              {r.refusal}
            </Text>
          </Detail>
        )}
      </Stack>
      <Stack gap={6}>
        <Detail label="Fields">{r.fields.map(fieldLabel).join(', ')}</Detail>
        <Detail label={`Account ids (${r.accountCount})`}>
          <Text size="xs" ff="monospace" style={{ wordBreak: 'break-all' }}>
            {r.accountIds[0] === '*' ? 'All accounts' : r.accountIds.join(' ') || '—'}
          </Text>
        </Detail>
        <Detail label="File">
          {r.fileName ? `${r.fileName} (${r.format?.toUpperCase()})` : '—'}
        </Detail>
        {r.sha256 && (
          <Detail label="SHA-256">
            <Text size="xs" ff="monospace" style={{ wordBreak: 'break-all' }}>
              {r.sha256}
            </Text>
          </Detail>
        )}
      </Stack>
    </SimpleGrid>
  );
}

function Detail({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed" fw={600} tt="uppercase" lts={0.3}>
        {label}
      </Text>
      <Text size="sm" component="div" style={{ whiteSpace: 'pre-wrap' }}>
        {children}
      </Text>
    </div>
  );
}
