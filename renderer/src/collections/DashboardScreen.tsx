import { BarChart } from '@mantine/charts';
import {
  Group,
  Paper,
  SegmentedControl,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useMemo, useState } from 'react';
import { STANDINGS } from '../../../shared/catalogue';
import { STANDING_LABELS as SHORT_LABELS } from '../../../shared/standing';
import type { DashboardSummary } from '../../../shared/types';
import { call } from '../api';
import { ErrorAlert, ScreenHeader } from '../ui';
import { useLoad } from '../useLoad';
import { StandingBadge, fractionDigits, money } from './common';

/** The currencies in the summary, the one with the most accounts first. */
function currenciesOf(summary: DashboardSummary): string[] {
  const counts = new Map<string, number>();
  for (const r of summary.byStanding)
    counts.set(r.currency, (counts.get(r.currency) ?? 0) + r.count);
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map((e) => e[0]);
}

/** Counts and totals owed by standing, and this month's collection batches by agency. */
export function DashboardScreen() {
  const summary = useLoad(() => call('dashboard.summary', {}));
  const [chosen, setChosen] = useState<string | null>(null);
  const currencies = useMemo(
    () => (summary.data ? currenciesOf(summary.data) : []),
    [summary.data],
  );
  const currency = chosen && currencies.includes(chosen) ? chosen : (currencies[0] ?? 'USD');

  return (
    <div className="section-scroll">
      <Stack gap="md" pb="lg">
        <ScreenHeader
          title="Dashboard"
          description="Accounts and balances owed by standing, and this month's placements with collection agencies."
          actions={
            currencies.length > 1 && (
              <SegmentedControl
                aria-label="Currency"
                value={currency}
                onChange={setChosen}
                data={currencies}
              />
            )
          }
        />
        <ErrorAlert>{summary.error}</ErrorAlert>
        {!summary.data ? (
          !summary.error && <Skeleton h={360} />
        ) : (
          <Content summary={summary.data} currency={currency} />
        )}
      </Stack>
    </div>
  );
}

function Content({ summary, currency }: { summary: DashboardSummary; currency: string }) {
  const digits = fractionDigits(currency);
  const rows = STANDINGS.map((standing) => {
    const r = summary.byStanding.find((x) => x.standing === standing && x.currency === currency);
    return { standing, count: r?.count ?? 0, totalCents: r?.totalCents ?? 0 };
  });
  const accounts = rows.reduce((n, r) => n + r.count, 0);
  const owed = rows.reduce((n, r) => n + r.totalCents, 0);
  const overdue = rows
    .filter((r) => r.standing === 'past_due' || r.standing === 'bad_standing')
    .reduce((n, r) => n + r.totalCents, 0);
  const inCollection = rows.find((r) => r.standing === 'in_collection')!;
  const chart = rows.map((r) => ({
    standing: SHORT_LABELS[r.standing],
    Owed: r.totalCents / 10 ** digits,
    Accounts: r.count,
  }));
  const batches = summary.batchesThisMonth;
  const month = new Intl.DateTimeFormat('en-US', { month: 'long', year: 'numeric' }).format(
    new Date(),
  );
  const format = (v: number) => money(Math.round(v * 10 ** digits), currency);

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
              aria-label={`Accounts by standing, ${currency}`}
            />
          </div>
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
        </SimpleGrid>
      </Paper>

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
    </Stack>
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
