import { Group, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { STANDINGS } from '../../../shared/catalogue';
import type { DashboardSummary } from '../../../shared/types';
import { money } from './common';
import { StandingBreakdown, type StandingRow } from './StandingBreakdown';

/** The dashboard for one currency: four figures, the breakdown by standing, this month's batches. */
export function DashboardContent({
  summary,
  currency,
}: {
  summary: DashboardSummary;
  currency: string;
}) {
  const rows: StandingRow[] = STANDINGS.map((standing) => {
    const r = summary.byStanding.find((x) => x.standing === standing && x.currency === currency);
    return { standing, count: r?.count ?? 0, totalCents: r?.totalCents ?? 0 };
  });
  const accounts = rows.reduce((n, r) => n + r.count, 0);
  const owed = rows.reduce((n, r) => n + r.totalCents, 0);
  const overdue = rows
    .filter((r) => r.standing === 'past_due' || r.standing === 'bad_standing')
    .reduce((n, r) => n + r.totalCents, 0);
  const inCollection = rows.find((r) => r.standing === 'in_collection')!;

  return (
    <Stack gap="md">
      <SimpleGrid cols={{ base: 2, lg: 4 }} spacing="sm">
        <Stat label={`Accounts in ${currency}`} value={accounts.toLocaleString('en-US')} />
        <Stat label="Total owed" value={money(owed, currency)} />
        <Stat label="Past due and bad standing" value={money(overdue, currency)} />
        <Stat
          label="In collection"
          value={money(inCollection.totalCents, currency)}
          sub={`${inCollection.count} account${inCollection.count === 1 ? '' : 's'}`}
        />
      </SimpleGrid>
      <StandingBreakdown rows={rows} currency={currency} />
      <BatchesThisMonth batches={summary.batchesThisMonth} />
    </Stack>
  );
}

function BatchesThisMonth({ batches }: { batches: DashboardSummary['batchesThisMonth'] }) {
  const month = new Intl.DateTimeFormat('en-US', { month: 'long', year: 'numeric' }).format(
    new Date(),
  );
  return (
    <Paper withBorder p="lg">
      <Group justify="space-between" mb="sm">
        <Title order={3} fz="md">
          Placed with agencies in {month}
        </Title>
        <Text size="sm" c="dimmed">
          All currencies
        </Text>
      </Group>
      {batches.length === 0 ? (
        <Text size="sm" c="dimmed">
          No collection batch has been sent this month.
        </Text>
      ) : (
        <Table striped fz="sm" verticalSpacing={8} aria-label="Batches this month">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Agency</Table.Th>
              <Table.Th>Currency</Table.Th>
              <Table.Th ta="right">Batches</Table.Th>
              <Table.Th ta="right">Accounts</Table.Th>
              <Table.Th ta="right">Total placed</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {batches.map((b) => (
              <Table.Tr key={`${b.agency}-${b.currency}`}>
                <Table.Td fw={500}>{b.agency}</Table.Td>
                <Table.Td>{b.currency}</Table.Td>
                <Table.Td ta="right">{b.batches}</Table.Td>
                <Table.Td ta="right">{b.accounts}</Table.Td>
                <Table.Td ta="right" style={{ fontVariantNumeric: 'tabular-nums' }}>
                  {money(b.totalCents, b.currency)}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Paper>
  );
}

function Stat({ label, value, sub }: { label: string; value: string; sub?: string }) {
  return (
    <Paper withBorder p="md">
      <Text size="xs" c="dimmed" tt="uppercase" fw={600} lts={0.4}>
        {label}
      </Text>
      <Text fz={26} fw={700} lh={1.3}>
        {value}
      </Text>
      {sub && (
        <Text size="xs" c="dimmed">
          {sub}
        </Text>
      )}
    </Paper>
  );
}
