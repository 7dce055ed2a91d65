import { useForm } from '@mantine/form';
import { useState } from 'react';
import type { ConnectionView, TeamConnectionInput } from '../../../../shared/types';
import { useAction } from '../../data';
import type { Tls } from './tls';

const FIELDS = ['host', 'port', 'database', 'user', 'password', 'tls'] as const;

export interface ConnectionValues {
  mode: 'sqlite' | 'pg';
  host: string;
  port: number | string;
  database: string;
  user: string;
  password: string;
  tls: Tls;
}

function inputOf(v: ConnectionValues): TeamConnectionInput {
  if (v.mode === 'sqlite') return { mode: 'sqlite' };
  return {
    mode: 'pg',
    host: v.host.trim(),
    port: typeof v.port === 'number' ? v.port : Number.NaN,
    database: v.database.trim(),
    user: v.user.trim(),
    tls: v.tls,
    ...(v.password ? { password: v.password } : {}),
  };
}

/**
 * The connection form's values and its two writes, Test and Save. Both answer about the same
 * fields, so the refusal shown is the one of the last that ran; a test result or a saved notice
 * describes the form as it was and is hidden once the form changes.
 */
export function useConnectionForm(initial: ConnectionView) {
  const form = useForm<ConnectionValues>({
    mode: 'controlled',
    initialValues: {
      mode: initial.mode,
      host: initial.host ?? '',
      port: initial.port ?? 5432,
      database: initial.database ?? 'custodian',
      user: initial.user ?? '',
      password: '',
      tls: initial.tls ?? 'verify-full',
    },
  });
  const [tested, setTested] = useState<{ ok: boolean; message: string; form: string } | null>(null);
  const [saved, setSaved] = useState<{ view: ConnectionView; form: string } | null>(null);
  const [last, setLast] = useState<'test' | 'save'>('save');
  const testAction = useAction('connection.test', { fields: FIELDS });
  const saveAction = useAction('connection.save', { fields: FIELDS });
  const shown = last === 'test' ? testAction : saveAction;

  const { password, ...settings } = form.values;
  const settingsNow = JSON.stringify(settings);
  const formNow = JSON.stringify([settingsNow, password]);

  async function runTest() {
    setLast('test');
    saveAction.reset();
    const result = await testAction.run(inputOf(form.values));
    if (result) setTested({ ...result, form: formNow });
  }

  async function save() {
    setLast('save');
    testAction.reset();
    const next = await saveAction.run(inputOf(form.values));
    if (!next) return;
    form.setFieldValue('password', '');
    setSaved({ view: next, form: settingsNow });
  }

  return {
    values: form.values,
    field: (name: keyof ConnectionValues) => ({
      ...form.getInputProps(name),
      error: shown.fieldErrors[name] ?? null,
    }),
    message: shown.unplaced,
    busy: testAction.busy ? 'test' : saveAction.busy ? 'save' : null,
    test: tested && tested.form === formNow ? tested : null,
    savedView: saved && saved.form === settingsNow && password === '' ? saved.view : null,
    runTest,
    onSubmit: form.onSubmit(() => void save()),
  };
}
