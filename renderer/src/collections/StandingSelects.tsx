/** The two choices every standing change asks for: the new standing and the reason. */
import { Select } from '@mantine/core';
import type { Standing } from '../../../shared/catalogue';
import { BATCH_REASONS, STANDING_REASONS, type StandingReason } from '../../../shared/standing';
import { STANDING_LABELS } from '../format';
import { reasonLabel } from './common';

/** Reasons a person may give; the batch reasons are the system's own. */
const MANUAL_REASONS = STANDING_REASONS.filter((r) => !BATCH_REASONS.includes(r)).map((r) => ({
  value: r,
  label: reasonLabel(r),
}));

export function StandingSelect({
  targets,
  value,
  onChange,
  error,
  description,
  disabled,
}: {
  targets: readonly Standing[];
  value: Standing | null;
  onChange(next: Standing | null): void;
  error?: string | undefined;
  description?: string;
  disabled?: boolean;
}) {
  return (
    <Select
      label="New standing"
      description={description}
      placeholder="Choose the new standing"
      data={targets.map((t) => ({ value: t, label: STANDING_LABELS[t] }))}
      value={value}
      onChange={onChange}
      error={error}
      allowDeselect={false}
      disabled={disabled}
    />
  );
}

export function ReasonSelect({
  value,
  onChange,
  error,
  disabled,
}: {
  value: StandingReason | null;
  onChange(next: StandingReason | null): void;
  error?: string | undefined;
  disabled?: boolean;
}) {
  return (
    <Select
      label="Reason"
      placeholder="Choose a reason"
      data={MANUAL_REASONS}
      value={value}
      onChange={onChange}
      error={error}
      allowDeselect={false}
      disabled={disabled}
    />
  );
}
