import { Button, Group, Paper, Text, TextInput } from '@mantine/core';
import { IconFilter, IconInfoCircle } from '@tabler/icons-react';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { refusalMessage, useAsk } from '../data';

export interface AccessLogFilter {
  accountId?: string;
  from?: string;
  to?: string;
}

/** The two ends of the period, both days included. */
const DATES = [
  ['from', 'From'],
  ['to', 'To (inclusive)'],
] as const;

/** The filter above the log; the account is typed as an account number and resolved to its id. */
export function AccessLogFilterForm({
  filter,
  onFilter,
  listErrors,
  loading,
}: {
  filter: AccessLogFilter;
  onFilter(next: AccessLogFilter): void;
  /** Field errors of the log's own refusal (a date it could not read). */
  listErrors: Record<string, string>;
  loading: boolean;
}) {
  const ask = useAsk();
  const form = useForm({
    mode: 'controlled',
    initialValues: { accountNumber: '', from: '', to: '' },
  });
  const [ownErrors, setOwnErrors] = useState<Record<string, string>>({});
  const errors = { ...listErrors, ...ownErrors };

  async function resolveAccount(wanted: string): Promise<string | null> {
    try {
      const page = await ask('accounts.list', {
        search: wanted,
        searchKind: 'accountNumber',
        sort: 'createdAt',
        limit: 5,
      });
      const match = page.rows.find((r) => String(r.fields.accountNumber ?? '') === wanted);
      if (!match) setOwnErrors({ accountId: 'No account has this number.' });
      return match?.id ?? null;
    } catch (err) {
      const message = refusalMessage(err, 'Search failed.');
      if (message) setOwnErrors({ accountId: message });
      return null;
    }
  }

  async function apply({ accountNumber, from, to }: typeof form.values) {
    setOwnErrors({});
    const next: AccessLogFilter = {};
    if (from) next.from = from;
    if (to) next.to = to;
    const wanted = accountNumber.trim().toUpperCase();
    if (wanted) {
      const id = await resolveAccount(wanted);
      if (!id) return;
      next.accountId = id;
    }
    onFilter(next);
  }

  function clear() {
    form.reset();
    setOwnErrors({});
    onFilter({});
  }

  return (
    <Paper
      withBorder
      p="md"
      component="form"
      onSubmit={form.onSubmit((v) => void apply(v))}
      aria-label="Filter"
    >
      <Group align="flex-start" gap="md">
        <TextInput
          label="Account number"
          placeholder="e.g. C-1000042"
          {...form.getInputProps('accountNumber')}
          error={errors.accountId}
          w={200}
          autoComplete="off"
          spellCheck={false}
        />
        {DATES.map(([key, label]) => (
          <TextInput
            key={key}
            label={label}
            type="date"
            {...form.getInputProps(key)}
            error={errors[key]}
            w={170}
          />
        ))}
        <Button type="submit" mt={25} leftSection={<IconFilter size={16} />} loading={loading}>
          Apply
        </Button>
        {(filter.accountId || filter.from || filter.to) && (
          <Button mt={25} variant="subtle" color="gray" onClick={clear}>
            Clear
          </Button>
        )}
      </Group>
      <Text size="xs" c="dimmed" mt={6}>
        <IconInfoCircle size={12} style={{ verticalAlign: -2 }} /> The staff list is for
        administrators only, so the log is not filtered by staff member here; each row names who
        acted.
      </Text>
    </Paper>
  );
}
