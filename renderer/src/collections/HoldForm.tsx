import { Select, TextInput, Textarea } from '@mantine/core';
import { useState } from 'react';
import { HOLD_KINDS, HOLD_LABELS, type HoldKind } from '../../../shared/standing';
import type { AccountHold } from '../../../shared/types';
import { DialogForm } from '../DialogForm';
import { useAction } from '../data';
import { todayIso } from '../format';

export type HoldEditing = { mode: 'set' } | { mode: 'clear'; hold: AccountHold };

const FIELDS = ['kind', 'since', 'note'];

/** Sets a collection hold (kind, since when, on what grounds) or clears one (why it ends). */
export function HoldForm({
  accountId,
  editing,
  onCancel,
  onSaved,
}: {
  accountId: string;
  editing: HoldEditing;
  onCancel(): void;
  onSaved(holds: AccountHold[], title: string, message: string): void;
}) {
  const [kind, setKind] = useState<HoldKind | null>(null);
  const [since, setSince] = useState(todayIso());
  const [note, setNote] = useState('');
  const set = useAction('holds.set', { fields: FIELDS });
  const clear = useAction('holds.clear', { fields: FIELDS });
  const action = editing.mode === 'set' ? set : clear;
  const errors = action.fieldErrors;

  async function submit() {
    if (editing.mode === 'set') {
      const next = await set.run({ accountId, kind: kind!, since, note });
      if (next)
        onSaved(
          next,
          `${HOLD_LABELS[kind!]} hold set`,
          'The account is left out of every collection batch while the hold stands.',
        );
    } else {
      const next = await clear.run({ accountId, kind: editing.hold.kind, note });
      if (next)
        onSaved(
          next,
          `${editing.hold.label} hold cleared`,
          'The account may be placed with an agency again.',
        );
    }
  }

  return (
    <DialogForm
      onSubmit={() => void submit()}
      onCancel={onCancel}
      submitLabel={editing.mode === 'set' ? 'Set hold' : 'Clear hold'}
      {...(editing.mode === 'clear' ? { submitColor: 'red' } : {})}
      busy={action.busy}
      error={action.unplaced}
    >
      {editing.mode === 'set' && (
        <>
          <Select
            label="Hold"
            placeholder="Choose the kind of hold"
            data={HOLD_KINDS.map((k) => ({ value: k, label: HOLD_LABELS[k] }))}
            value={kind}
            onChange={setKind}
            error={errors.kind}
            allowDeselect={false}
            comboboxProps={{ withinPortal: true }}
          />
          <TextInput
            label="Since"
            description="The date of the filing, the death or the attorney's notice."
            type="date"
            value={since}
            onChange={(e) => setSince(e.currentTarget.value)}
            error={errors.since}
          />
        </>
      )}
      <Textarea
        label={editing.mode === 'set' ? 'What the hold rests on' : 'Why the hold ends'}
        description={
          editing.mode === 'set'
            ? 'e.g. the case number, the notice received.'
            : 'e.g. case dismissed, representation ended.'
        }
        value={note}
        onChange={(e) => setNote(e.currentTarget.value)}
        error={errors.note}
        autosize
        minRows={2}
        maxLength={1000}
        data-autofocus
      />
    </DialogForm>
  );
}
