import { Table } from '@mantine/core';
import type { ReactNode } from 'react';
import { PURPOSE_LABELS, RECIPIENT_TYPE_LABELS } from '../../../../shared/disclosure';
import type { Wizard } from './useDisclosureWizard';

/** The request in four lines: recipient, purpose, accounts and fields. */
export function RequestSummary({ w }: { w: Wizard }) {
  const { recipient } = w;
  const { purpose, accounts, fields } = w.draft;
  const row = (label: string, value: ReactNode) => (
    <Table.Tr>
      <Table.Th w={120}>{label}</Table.Th>
      <Table.Td>{value}</Table.Td>
    </Table.Tr>
  );
  return (
    <Table variant="vertical" withTableBorder fz="sm" aria-label="Request summary">
      <Table.Tbody>
        {row(
          'Recipient',
          recipient ? `${recipient.name} (${RECIPIENT_TYPE_LABELS[recipient.type]})` : '—',
        )}
        {row('Purpose', purpose ? PURPOSE_LABELS[purpose] : '—')}
        {row('Accounts', w.allAccounts ? 'All accounts' : `${accounts.length} named`)}
        {row('Fields', `${fields.size} chosen`)}
      </Table.Tbody>
    </Table>
  );
}
