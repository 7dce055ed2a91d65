import { Table } from '@mantine/core';
import type { ReactNode } from 'react';
import { StandingBadge } from '../../collections/common';
import type { PickedAccount } from '../../navigation';

/** One account as a table row: number, name, standing, and an action at the end. */
export function PickedRow({
  account: a,
  actionWidth,
  children,
}: {
  account: PickedAccount;
  actionWidth?: number;
  children: ReactNode;
}) {
  return (
    <Table.Tr>
      <Table.Td ff="monospace" w={110}>
        {a.accountNumber}
      </Table.Td>
      <Table.Td>{a.name || '—'}</Table.Td>
      <Table.Td>{a.standing && <StandingBadge standing={a.standing} />}</Table.Td>
      <Table.Td ta="right" w={actionWidth}>
        {children}
      </Table.Td>
    </Table.Tr>
  );
}
