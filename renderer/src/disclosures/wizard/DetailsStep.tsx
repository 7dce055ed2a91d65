import { Select, Stack, Text, TextInput, Textarea } from '@mantine/core';
import {
  INSTRUMENT_LABELS,
  INSTRUMENT_TYPES,
  PURPOSE_LABELS,
  type Purpose,
} from '../../../../shared/disclosure';
import { todayIso } from '../../format';
import type { Legal } from './draft';

/** Step 5: what the purpose requires besides (the legal instrument, or the justification). */
export function DetailsStep({
  purpose,
  legal,
  onLegal,
  justification,
  onJustification,
  errors,
}: {
  purpose: Purpose | null;
  legal: Legal;
  onLegal(next: Legal): void;
  justification: string;
  onJustification(text: string): void;
  errors: Record<string, string>;
}) {
  if (purpose === 'legal_process') {
    return <LegalDetails legal={legal} onLegal={onLegal} errors={errors} />;
  }
  if (purpose === 'exigent_circumstances') {
    return (
      <Stack gap="sm" maw={720}>
        <Textarea
          label="Justification"
          description="What is the danger to personal safety or to the integrity of systems, who reported it, and why it cannot wait. A second compliance officer reads this before approving."
          value={justification}
          onChange={(e) => onJustification(e.currentTarget.value)}
          error={errors.justification}
          autosize
          minRows={4}
          maxLength={4000}
        />
      </Stack>
    );
  }
  return (
    <Text size="sm" c="dimmed">
      {purpose ? PURPOSE_LABELS[purpose] : 'This purpose'} needs no further details: the gate checks
      each account against the rule when you submit.
    </Text>
  );
}

function LegalDetails({
  legal,
  onLegal,
  errors,
}: {
  legal: Legal;
  onLegal(next: Legal): void;
  errors: Record<string, string>;
}) {
  return (
    <Stack gap="sm" maw={640}>
      <Text size="sm" c="dimmed">
        As written on the instrument. The record keeps them as the legal basis.
      </Text>
      <Select
        label="Instrument type"
        placeholder="Choose the kind of legal instrument"
        data={INSTRUMENT_TYPES.map((t) => ({ value: t, label: INSTRUMENT_LABELS[t] }))}
        value={legal.instrumentType}
        onChange={(instrumentType) => onLegal({ ...legal, instrumentType })}
        error={errors['legal.instrumentType']}
        allowDeselect={false}
      />
      <TextInput
        label="Reference number"
        value={legal.reference}
        onChange={(e) => onLegal({ ...legal, reference: e.currentTarget.value })}
        error={errors['legal.reference']}
        maxLength={200}
      />
      <TextInput
        label="Issuing authority"
        placeholder="e.g. District Court of Springfield"
        value={legal.authority}
        onChange={(e) => onLegal({ ...legal, authority: e.currentTarget.value })}
        error={errors['legal.authority']}
        maxLength={200}
      />
      <TextInput
        label="Date of issue"
        type="date"
        max={todayIso()}
        value={legal.date}
        onChange={(e) => onLegal({ ...legal, date: e.currentTarget.value })}
        error={errors['legal.date']}
        w={220}
      />
    </Stack>
  );
}
