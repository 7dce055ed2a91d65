import { BarChart } from '@mantine/charts';
import { Paper, SimpleGrid, Table, Title } from '@mantine/core';
import type { Standing } from '../../../shared/catalogue';
import { STANDING_LABELS as SHORT_LABELS } from '../../../shared/standing';
import { fractionDigits } from '../money';
import { StandingBadge, money } from './common';

export interface StandingRow {
  standing: Standing;
  count: number;
  totalCents: number;
}

/** Owed and accounts by standing in one currency: two bar charts beside the table of figures. */
export function StandingBreakdown({ rows, currency }: { rows: StandingRow[]; currency: string }) {
  const digits = fractionDigits(currency);
  const chart = rows.map((r) => ({
    standing: SHORT_LABELS[r.standing],
    Owed: r.totalCents / 10 ** digits,
    Accounts: r.count,
  }));
  const format = (v: number) => money(Math.round(v * 10 ** digits), currency);
  return (
    <Paper withBorder p="lg">
      <Title order={3} fz="md" mb="md">
        Owed by standing ({currency})
      </Title>
      <SimpleGrid cols={{ base: 1, xl: 2 }} spacing="lg" style={{ alignItems: 'start' }}>
        <div>
          <BarChart
            h={280}
            data={chart}
            dataKey="standing"
            series={[{ name: 'Owed', color: 'indigo.6', label: `Owed (${currency})` }]}
            valueFormatter={format}
            tickLine="y"
            gridAxis="y"
            xAxisProps={{ interval: 0 }}
            yAxisProps={{ width: 90 }}
            // A picture of the table beside it: one name for the whole chart.
            role="img"
            aria-label={`Balances owed by standing, ${currency}`}
          />
          <BarChart
            mt="lg"
            h={180}
            data={chart}
            dataKey="standing"
            series={[{ name: 'Accounts', color: 'teal.6' }]}
            tickLine="y"
            gridAxis="y"
            xAxisProps={{ interval: 0 }}
            yAxisProps={{ width: 90, allowDecimals: false }}
            role="img"
            aria-label={`Accounts by standing, ${currency}`}
          />
        </div>
        <StandingTable rows={rows} currency={currency} />
      </SimpleGrid>
    </Paper>
  );
}

function StandingTable({ rows, currency }: { rows: StandingRow[]; currency: string }) {
  const accounts = rows.reduce((n, r) => n + r.count, 0);
  const owed = rows.reduce((n, r) => n + r.totalCents, 0);
  return (
    <Table
      striped
      fz="sm"
      verticalSpacing={8}
      aria-label="Accounts by standing"
      data-testid="by-standing"
    >
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Standing</Table.Th>
          <Table.Th ta="right">Accounts</Table.Th>
          <Table.Th ta="right">Owed</Table.Th>
          <Table.Th ta="right">Share of owed</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((r) => (
          <Table.Tr key={r.standing} data-standing={r.standing}>
            <Table.Td>
              <StandingBadge standing={r.standing} size="sm" />
            </Table.Td>
            <Table.Td ta="right">{r.count.toLocaleString('en-US')}</Table.Td>
            <Table.Td ta="right" style={{ fontVariantNumeric: 'tabular-nums' }}>
              {money(r.totalCents, currency)}
            </Table.Td>
            <Table.Td ta="right" c="dimmed">
              {owed > 0 ? `${Math.round((r.totalCents / owed) * 100)}%` : '—'}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
      <Table.Tfoot>
        <Table.Tr fw={700}>
          <Table.Td>All</Table.Td>
          <Table.Td ta="right">{accounts.toLocaleString('en-US')}</Table.Td>
          <Table.Td ta="right">{money(owed, currency)}</Table.Td>
          <Table.Td />
        </Table.Tr>
      </Table.Tfoot>
    </Table>
  );
}
