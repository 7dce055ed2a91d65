import { SegmentedControl, Skeleton } from '@mantine/core';
import { useMemo, useState } from 'react';
import type { DashboardSummary } from '../../../shared/types';
import { useChannel } from '../data';
import { Screen } from '../Screen';
import { ErrorAlert } from '../ui';
import { DashboardContent } from './DashboardContent';

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
  const summary = useChannel('dashboard.summary', {});
  const [chosen, setChosen] = useState<string | null>(null);
  const currencies = useMemo(
    () => (summary.data ? currenciesOf(summary.data) : []),
    [summary.data],
  );
  const currency = chosen && currencies.includes(chosen) ? chosen : (currencies[0] ?? 'USD');

  return (
    <Screen
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
    >
      <ErrorAlert>{summary.error}</ErrorAlert>
      {!summary.data ? (
        !summary.error && <Skeleton h={360} />
      ) : (
        <DashboardContent summary={summary.data} currency={currency} />
      )}
    </Screen>
  );
}
