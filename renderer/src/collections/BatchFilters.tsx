import {
  Button,
  Group,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { IconEye } from '@tabler/icons-react';
import type { FormEvent } from 'react';
import type { Recipient } from '../../../shared/types';
import { ErrorAlert } from '../ui';
import type { TypedFilters } from './batchFilters';

/** The filters of a batch: agency, currency, and the optional floors and region; then Preview. */
export function BatchFilters({
  agencies,
  value,
  onChange,
  errors,
  message,
  previewed,
  stale,
  busy,
  onSubmit,
}: {
  agencies: Recipient[];
  value: TypedFilters;
  onChange(next: TypedFilters): void;
  errors: Record<string, string>;
  message: string | null;
  previewed: boolean;
  stale: boolean;
  busy: boolean;
  onSubmit(e: FormEvent): void;
}) {
  const set = (patch: Partial<TypedFilters>) => onChange({ ...value, ...patch });
  return (
    <form onSubmit={onSubmit} noValidate aria-label="Batch filters">
      <Stack gap="sm">
        <ErrorAlert>{message}</ErrorAlert>
        <SimpleGrid cols={{ base: 2, lg: 5 }} spacing="sm">
          <Select
            label="Agency"
            description="Registered collection agencies."
            placeholder="Choose the agency"
            data={agencies.map((a) => ({ value: a.id, label: a.name }))}
            value={value.agencyId}
            onChange={(agencyId) => set({ agencyId })}
            error={errors.agencyId}
            allowDeselect={false}
          />
          <TextInput
            label="Currency"
            description="Balances in this currency."
            value={value.currency}
            onChange={(e) => set({ currency: e.currentTarget.value.toUpperCase() })}
            error={errors.currency}
            maxLength={3}
            autoComplete="off"
            spellCheck={false}
          />
          <TextInput
            label="Minimum balance"
            description="Optional: owing at least this."
            placeholder="e.g. 100.00"
            value={value.minBalance}
            onChange={(e) => set({ minBalance: e.currentTarget.value })}
            error={errors.minBalanceCents}
            inputMode="decimal"
            autoComplete="off"
          />
          <NumberInput
            label="Minimum days past due"
            description="Optional: at least this many."
            value={value.minDays}
            onChange={(minDays) => set({ minDays })}
            error={errors.minDaysPastDue}
            min={0}
            max={100_000}
            allowDecimal={false}
            allowNegative={false}
          />
          <TextInput
            label="State / region"
            description="Optional: as on the accounts."
            value={value.region}
            onChange={(e) => set({ region: e.currentTarget.value })}
            error={errors.region}
            maxLength={100}
          />
        </SimpleGrid>
        <Group>
          <Button
            type="submit"
            variant={previewed && !stale ? 'default' : 'filled'}
            leftSection={<IconEye size={16} />}
            loading={busy}
          >
            {previewed ? 'Preview again' : 'Preview'}
          </Button>
          {stale && (
            <Text size="sm" c="orange">
              The filters changed since the preview: preview again before sending.
            </Text>
          )}
        </Group>
      </Stack>
    </form>
  );
}
