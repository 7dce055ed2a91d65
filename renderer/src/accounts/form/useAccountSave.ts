import { notifications } from '@mantine/notifications';
import { useMemo, useState } from 'react';
import type { FieldKey, ProvenanceSource } from '../../../../shared/catalogue';
import type { AccountDetail } from '../../../../shared/types';
import type { ApiError } from '../../api';
import { useAction } from '../../data';
import { todayIso } from '../../format';
import { accountTitle } from '../accountTitle';
import type { Message } from './FormMessage';
import { collect, errorTarget, missingRequired, toFormValues, type FormValues } from './values';

interface Base {
  version: number;
  values: FormValues;
  detail: AccountDetail | null;
}

/**
 * The account form's state and save: local checks first, then create or update; a conflict keeps
 * the other version to compare and rebase on, a refusal places its errors under the inputs.
 */
export function useAccountSave({
  detail,
  shownKeys,
  editableKeys,
  onSaved,
}: {
  detail: AccountDetail | undefined;
  shownKeys: readonly FieldKey[];
  editableKeys: readonly FieldKey[];
  onSaved(detail: AccountDetail): void;
}) {
  const edit = detail !== undefined;
  const [base, setBase] = useState<Base>(() => ({
    version: detail?.version ?? 0,
    values: detail ? toFormValues(shownKeys, detail.fields) : {},
    detail: detail ?? null,
  }));
  const [values, setValues] = useState<FormValues>(() => ({ ...base.values }));
  const [source, setSource] = useState<string | null>(null);
  const [sourceDate, setSourceDate] = useState(todayIso());
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<Message | null>(null);
  const [conflict, setConflict] = useState<AccountDetail | null>(null);

  function refused(err: ApiError) {
    if (err.code === 'CONFLICT') {
      setConflict((err.details as { current?: AccountDetail } | undefined)?.current ?? null);
      setErrors({});
      setMessage({
        text: err.message,
        color: 'orange',
        title: 'Someone else saved this account first',
      });
      return;
    }
    // The backend checks required fields after the input's shape: show both at once.
    const inputs = [...editableKeys, 'provenance.source', 'provenance.date'];
    const placed = err.code === 'VALIDATION' ? missingRequired(editableKeys, values) : {};
    const unplaced: string[] = [];
    for (const [path, text] of Object.entries(err.fieldErrors ?? {})) {
      const target = errorTarget(path, inputs);
      if (target) placed[target] = text;
      else unplaced.push(text);
    }
    setErrors(placed);
    setMessage({ text: [err.message, ...unplaced].join(' '), color: 'red' });
  }
  const update = useAction('accounts.update', { onRefused: refused });
  const create = useAction('accounts.create', { onRefused: refused });

  const currentValues = useMemo(
    () => (conflict ? toFormValues(shownKeys, conflict.fields) : null),
    [conflict, shownKeys],
  );
  const changedByMe = editableKeys.filter((k) => (values[k] ?? '') !== (base.values[k] ?? ''));
  const changedByThem = currentValues
    ? shownKeys.filter((k) => (currentValues[k] ?? '') !== (base.values[k] ?? ''))
    : [];

  function forget(key: string) {
    setErrors(({ [key]: _gone, ...rest }) => rest);
  }

  async function submit() {
    setMessage(null);
    const { payload, local } = collect(editableKeys, values, base.values, edit);
    if (Object.keys(local).length > 0) {
      setErrors(local);
      setMessage({ text: 'Some fields need attention.', color: 'red' });
      return;
    }
    if (edit && Object.keys(payload).length === 0) {
      setMessage({ text: 'Nothing to save: no field was changed.', color: 'blue' });
      return;
    }
    // An unchosen source is sent empty: the backend names it under its input.
    const provenance = { source: (source ?? '') as ProvenanceSource, date: sourceDate };
    const saved = detail
      ? await update.run({ id: detail.id, version: base.version, changes: payload, provenance })
      : await create.run({ fields: payload, provenance });
    if (!saved) return; // refused (shown by `refused`), or the lock screen took over: input kept
    setErrors({});
    setConflict(null);
    notifications.show({
      color: 'teal',
      title: edit ? 'Account saved' : 'Account created',
      message: `${accountTitle(saved)} · version ${saved.version}`,
    });
    onSaved(saved);
  }

  /** Rebase on the version saved meanwhile: keep my edits, take their values for the rest. */
  function rebase() {
    if (!conflict || !currentValues) return;
    setValues((v) => {
      const next: FormValues = { ...currentValues };
      for (const key of changedByMe) next[key] = v[key] ?? '';
      return next;
    });
    setBase({ version: conflict.version, values: currentValues, detail: conflict });
    setConflict(null);
    setMessage({
      text: `Now editing on top of version ${conflict.version}. Your changes are still in the form: check them and save again.`,
      color: 'blue',
    });
  }

  return {
    base,
    values,
    setValue(key: FieldKey, value: string) {
      setValues((v) => ({ ...v, [key]: value }));
      forget(key);
    },
    source,
    setSource(next: string | null) {
      setSource(next);
      forget('provenance.source');
    },
    sourceDate,
    setSourceDate(next: string) {
      setSourceDate(next);
      forget('provenance.date');
    },
    errors,
    message,
    conflict,
    changedByMe,
    changedByThem,
    busy: update.busy || create.busy,
    submit,
    rebase,
  };
}
