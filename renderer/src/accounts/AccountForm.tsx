import {
  Alert,
  Button,
  Fieldset,
  Group,
  List,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Textarea,
  Title,
  Tooltip,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import {
  IconAlertCircle,
  IconAlertTriangle,
  IconDeviceFloppy,
  IconEye,
  IconGitMerge,
  IconLock,
} from '@tabler/icons-react';
import { useEffect, useMemo, useRef, useState, type FormEvent, type ReactNode } from 'react';
import {
  EDITABLE_FIELD_KEYS,
  FIELDS,
  FIELD_BY_KEY,
  FIELD_CATEGORIES,
  PROVENANCE_LABELS,
  PROVENANCE_SOURCES,
  type FieldDef,
  type FieldKey,
  type ProvenanceSource,
} from '../../../shared/catalogue';
import { parseMoney } from '../../../shared/rules';
import type {
  AccountDetail,
  FieldValue,
  VisibleAccess,
  VisibleFields,
} from '../../../shared/types';
import { call, isApiError, isSessionProblem } from '../api';
import { CATEGORY_LABELS, isMasked, optionLabel, todayIso, valueText } from '../format';
import { useSession } from '../session';
import { accountTitle } from './AccountDetailView';

type FormValues = Partial<Record<FieldKey, string>>;

/** Manual entry: an import is never typed by hand. */
const MANUAL_SOURCES = PROVENANCE_SOURCES.filter((s) => s !== 'import').map((s) => ({
  value: s,
  label: PROVENANCE_LABELS[s],
}));

let currencies: string[] | undefined;
function currencyOptions(): string[] {
  currencies ??= Intl.supportedValuesOf('currency');
  return currencies;
}

function fractionDigits(currency: string): number {
  try {
    return (
      new Intl.NumberFormat('en-US', { style: 'currency', currency }).resolvedOptions()
        .maximumFractionDigits ?? 2
    );
  } catch {
    return 2;
  }
}

/** A stored value as the text an input holds (money in major units, e.g. "1234.50"). */
function toText(def: FieldDef, value: FieldValue | undefined, fields: VisibleFields): string {
  if (value === null || value === undefined) return '';
  if (def.type === 'money' && typeof value === 'number') {
    const currency = typeof fields.currency === 'string' ? fields.currency : 'USD';
    const digits = fractionDigits(currency);
    return (value / 10 ** digits).toFixed(digits);
  }
  return String(value);
}

function toFormValues(keys: readonly FieldKey[], fields: VisibleFields): FormValues {
  const out: FormValues = {};
  for (const key of keys) out[key] = toText(FIELD_BY_KEY[key], fields[key], fields);
  return out;
}

/** Where a backend error path belongs: `changes.email`, `fields.email` and `email` are one input. */
function errorTarget(path: string, inputs: readonly string[]): string | null {
  const key = path.replace(/^(changes|fields)\./, '');
  return inputs.includes(key) ? key : null;
}

interface Base {
  version: number;
  values: FormValues;
  detail: AccountDetail | null;
}

export function AccountForm(
  props:
    | {
        mode: 'create';
        detail?: undefined;
        onCancel(): void;
        onSaved(detail: AccountDetail): void;
      }
    | {
        mode: 'edit';
        detail: AccountDetail;
        onCancel(): void;
        onSaved(detail: AccountDetail): void;
      },
) {
  const { mode, onCancel, onSaved } = props;
  const { session } = useSession();
  const access: VisibleAccess = props.detail?.access ?? session.fieldAccess;

  /** Every field the form shows: editable ones as inputs, the rest (edit mode) read-only. */
  const shownKeys = useMemo(
    () =>
      FIELDS.filter((f) => {
        const a = access[f.key];
        if (!a) return false;
        return mode === 'edit' || (a === 'edit' && !('system' in f && f.system));
      }).map((f) => f.key as FieldKey),
    [access, mode],
  );
  const editableKeys = useMemo(
    () => EDITABLE_FIELD_KEYS.filter((k) => access[k] === 'edit'),
    [access],
  );
  const inputs = useMemo(
    () => [...editableKeys, 'provenance.source', 'provenance.date'],
    [editableKeys],
  );

  const [base, setBase] = useState<Base>(() => ({
    version: props.detail?.version ?? 0,
    values: props.detail ? toFormValues(shownKeys, props.detail.fields) : {},
    detail: props.detail ?? null,
  }));
  const [values, setValues] = useState<FormValues>(() => ({ ...base.values }));
  const [source, setSource] = useState<string | null>(null);
  const [sourceDate, setSourceDate] = useState(todayIso());
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<{ text: string; color: string; title?: string } | null>(
    null,
  );
  const [conflict, setConflict] = useState<AccountDetail | null>(null);
  const [busy, setBusy] = useState(false);
  const scrollRef = useRef<HTMLDivElement>(null);

  // A refused save: bring the explanation (and the first fields) into view.
  useEffect(() => {
    if (message) scrollRef.current?.scrollTo({ top: 0 });
  }, [message]);

  const currentValues = useMemo(
    () => (conflict ? toFormValues(shownKeys, conflict.fields) : null),
    [conflict, shownKeys],
  );
  const changedByMe = editableKeys.filter((k) => (values[k] ?? '') !== (base.values[k] ?? ''));
  const changedByThem = currentValues
    ? shownKeys.filter((k) => (currentValues[k] ?? '') !== (base.values[k] ?? ''))
    : [];

  function setValue(key: FieldKey, value: string) {
    setValues((v) => ({ ...v, [key]: value }));
    setErrors(({ [key]: _gone, ...rest }) => rest);
  }

  /** The values to send: for an edit only the changed fields, as the backend types them. */
  function collect(): {
    payload: Partial<Record<FieldKey, string | number | null>>;
    local: Record<string, string>;
  } {
    const payload: Partial<Record<FieldKey, string | number | null>> = {};
    const local: Record<string, string> = {};
    for (const key of editableKeys) {
      const text = values[key] ?? '';
      if (mode === 'edit' && text === (base.values[key] ?? '')) continue;
      if (text.trim() === '') {
        if (mode === 'edit') payload[key] = null;
        continue;
      }
      const def = FIELD_BY_KEY[key];
      if (def.type === 'money') {
        const currency = (values.currency || base.values.currency || 'USD').toUpperCase();
        const minor = parseMoney(text, currency);
        if (minor === null) local[key] = 'Enter an amount such as 1234.56.';
        else payload[key] = minor;
        continue;
      }
      payload[key] = text;
    }
    return { payload, local };
  }

  /** Required fields left empty (the backend reports them only once the input's shape is valid). */
  function missingRequired(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const key of editableKeys) {
      const def = FIELD_BY_KEY[key];
      if ('required' in def && def.required && (values[key] ?? '').trim() === '') {
        out[key] = `${def.label} is required.`;
      }
    }
    return out;
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setMessage(null);
    const { payload, local } = collect();
    if (Object.keys(local).length > 0) {
      setErrors(local);
      setMessage({ text: 'Some fields need attention.', color: 'red' });
      return;
    }
    if (mode === 'edit' && Object.keys(payload).length === 0) {
      setMessage({ text: 'Nothing to save: no field was changed.', color: 'blue' });
      return;
    }
    const provenance = { source: (source ?? '') as ProvenanceSource, date: sourceDate };
    setBusy(true);
    try {
      const saved =
        mode === 'edit'
          ? await call('accounts.update', {
              id: props.detail.id,
              version: base.version,
              changes: payload,
              provenance,
            })
          : await call('accounts.create', { fields: payload, provenance });
      setErrors({});
      setConflict(null);
      notifications.show({
        color: 'teal',
        title: mode === 'edit' ? 'Account saved' : 'Account created',
        message: `${accountTitle(saved)} · version ${saved.version}`,
      });
      onSaved(saved);
    } catch (err) {
      if (isSessionProblem(err)) return; // the lock screen or sign-in takes over; input is kept
      if (!isApiError(err)) {
        setMessage({ text: 'Something went wrong. Nothing was saved.', color: 'red' });
        return;
      }
      if (err.code === 'CONFLICT') {
        const current = (err.details as { current?: AccountDetail } | undefined)?.current ?? null;
        setConflict(current);
        setErrors({});
        setMessage({
          text: err.message,
          color: 'orange',
          title: 'Someone else saved this account first',
        });
        return;
      }
      // The backend checks required fields after the input's shape: show both at once.
      const placed: Record<string, string> = err.code === 'VALIDATION' ? missingRequired() : {};
      const unplaced: string[] = [];
      for (const [path, text] of Object.entries(err.fieldErrors ?? {})) {
        const target = errorTarget(path, inputs);
        if (target) placed[target] = text;
        else unplaced.push(text);
      }
      setErrors(placed);
      setMessage({ text: [err.message, ...unplaced].join(' '), color: 'red' });
    } finally {
      setBusy(false);
    }
  }

  /** Rebase on the version saved meanwhile: keep my edits, take their values for the rest. */
  function rebaseOnTheirVersion() {
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

  const detailForDisplay = conflict ?? base.detail;
  const groups = FIELD_CATEGORIES.map((category) => ({
    category,
    keys: shownKeys.filter((k) => FIELD_BY_KEY[k].category === category),
  })).filter((g) => g.keys.length > 0);

  function savedNowNote(key: FieldKey): ReactNode {
    if (!conflict || !currentValues) return null;
    if (!changedByMe.includes(key) && !changedByThem.includes(key)) return null;
    const text = valueText(key, conflict.fields, conflict.access) ?? '(empty)';
    return (
      <Text component="span" size="xs" c="orange.8" fw={500} data-testid={`saved-now-${key}`}>
        Saved now: {text}
        {changedByThem.includes(key) ? ' (changed by someone else)' : ''}
      </Text>
    );
  }

  /** A field the role may see but not change: compact, with its mask or read-only mark. */
  function renderReadOnly(key: FieldKey) {
    const fields = detailForDisplay?.fields ?? {};
    const text = valueText(key, fields, access);
    const masked = isMasked(access, key);
    return (
      <div key={key} className="readonly-field" data-field={key}>
        <Text size="xs" c="dimmed" id={`ro-${key}`}>
          {FIELD_BY_KEY[key].label}
        </Text>
        <Group gap={6} wrap="nowrap" aria-labelledby={`ro-${key}`}>
          <Tooltip label={masked ? 'Masked for your role' : 'Read only for your role'}>
            {masked ? (
              <IconLock size={14} aria-label="Masked" />
            ) : (
              <IconEye size={14} aria-label="Read only" opacity={0.5} />
            )}
          </Tooltip>
          <Text
            size="sm"
            c={text === null ? 'dimmed' : undefined}
            ff={masked ? 'monospace' : undefined}
          >
            {text ?? '—'}
          </Text>
        </Group>
        {savedNowNote(key)}
      </div>
    );
  }

  function renderField(key: FieldKey) {
    const def = FIELD_BY_KEY[key];
    const editable = editableKeys.includes(key);
    const note = savedNowNote(key);
    if (!editable) return null;
    const common = {
      label: def.label,
      error: errors[key],
      description: note,
      withAsterisk: 'required' in def && def.required,
      inputWrapperOrder: ['label', 'input', 'error', 'description'] as (
        'label' | 'input' | 'error' | 'description'
      )[],
    };
    const value = values[key] ?? '';
    switch (def.type) {
      case 'longtext':
        return (
          <Textarea
            key={key}
            {...common}
            value={value}
            onChange={(e) => setValue(key, e.currentTarget.value)}
            autosize
            minRows={3}
            maxRows={10}
            maxLength={def.maxLength}
          />
        );
      case 'date':
        return (
          <TextInput
            key={key}
            {...common}
            type="date"
            value={value}
            onChange={(e) => setValue(key, e.currentTarget.value)}
          />
        );
      case 'money': {
        const currency = (values.currency || base.values.currency || 'USD').toUpperCase();
        return (
          <TextInput
            key={key}
            {...common}
            value={value}
            inputMode="decimal"
            placeholder="0.00"
            onChange={(e) => setValue(key, e.currentTarget.value)}
            leftSection={
              <Text size="xs" c="dimmed" ff="monospace">
                {currency}
              </Text>
            }
            leftSectionWidth={48}
          />
        );
      }
      case 'currency':
        return (
          <Select
            key={key}
            {...common}
            data={currencyOptions()}
            value={value || null}
            onChange={(v) => setValue(key, v ?? '')}
            searchable
            allowDeselect={false}
          />
        );
      case 'enum':
        return (
          <Select
            key={key}
            {...common}
            data={(def.options ?? []).map((o) => ({ value: o, label: optionLabel(key, o) }))}
            value={value || null}
            onChange={(v) => setValue(key, v ?? '')}
            clearable={!('required' in def && def.required) && key !== 'standing'}
          />
        );
      case 'country':
        return (
          <TextInput
            key={key}
            {...common}
            description={note ?? 'Two-letter code, e.g. US or GB.'}
            value={value}
            maxLength={2}
            onChange={(e) => setValue(key, e.currentTarget.value.toUpperCase())}
            styles={{ input: { textTransform: 'uppercase' } }}
          />
        );
      default:
        return (
          <TextInput
            key={key}
            {...common}
            value={value}
            maxLength={def.maxLength}
            onChange={(e) => setValue(key, e.currentTarget.value)}
          />
        );
    }
  }

  const title =
    mode === 'edit' && props.detail ? `Edit ${accountTitle(props.detail)}` : 'New account';

  return (
    <form onSubmit={submit} noValidate aria-label={title} className="section-fill account-form">
      <div className="section-scroll" ref={scrollRef}>
        <Stack gap="md" pb="md" maw={1100}>
          <div>
            <Title order={2} fz="h3">
              {title}
            </Title>
            <Text size="sm" c="dimmed">
              {mode === 'edit'
                ? `${String(props.detail?.fields.accountNumber ?? '')} · editing version ${base.version}. Only the fields you change are saved.`
                : 'Record only what the customer supplied. Fields marked * are required.'}
            </Text>
          </div>

          {message && (
            <Alert
              color={message.color}
              title={message.title}
              icon={
                message.color === 'orange' ? (
                  <IconAlertTriangle size={18} />
                ) : (
                  <IconAlertCircle size={18} />
                )
              }
              role={message.color === 'blue' ? 'status' : 'alert'}
              data-testid="form-message"
            >
              <Stack gap="xs">
                <Text size="sm">{message.text}</Text>
                {conflict && (
                  <>
                    {changedByThem.length > 0 && (
                      <div>
                        <Text size="sm" fw={600}>
                          Saved meanwhile (version {conflict.version}):
                        </Text>
                        <List size="sm" spacing={2}>
                          {changedByThem.map((k) => (
                            <List.Item key={k}>
                              {FIELD_BY_KEY[k].label}:{' '}
                              {valueText(k, conflict.fields, conflict.access) ?? '(empty)'}
                            </List.Item>
                          ))}
                        </List>
                      </div>
                    )}
                    <Group>
                      <Button
                        size="xs"
                        color="orange"
                        leftSection={<IconGitMerge size={14} />}
                        onClick={rebaseOnTheirVersion}
                      >
                        Use their version as the base
                      </Button>
                    </Group>
                  </>
                )}
              </Stack>
            </Alert>
          )}

          {groups.map((group) => {
            const editable = group.keys.filter((k) => editableKeys.includes(k));
            const readOnly = group.keys.filter((k) => !editableKeys.includes(k));
            return (
              <Fieldset key={group.category} legend={CATEGORY_LABELS[group.category]}>
                {editable.length > 0 && (
                  <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" verticalSpacing="sm">
                    {editable.map((key) => (
                      <div
                        key={key}
                        style={
                          FIELD_BY_KEY[key].type === 'longtext'
                            ? { gridColumn: '1 / -1' }
                            : undefined
                        }
                      >
                        {renderField(key)}
                      </div>
                    ))}
                  </SimpleGrid>
                )}
                {readOnly.length > 0 && (
                  <div className="readonly-grid" data-has-inputs={editable.length > 0 || undefined}>
                    {readOnly.map(renderReadOnly)}
                  </div>
                )}
              </Fieldset>
            );
          })}
        </Stack>
      </div>

      <Paper withBorder p="sm" className="form-footer" maw={1100}>
        <Group justify="space-between" align="flex-end" wrap="nowrap" gap="md">
          <Group align="flex-start" wrap="nowrap" gap="md">
            <Select
              label="How did the customer supply this?"
              placeholder="Choose a channel"
              data={MANUAL_SOURCES}
              value={source}
              onChange={(v) => {
                setSource(v);
                setErrors(({ 'provenance.source': _gone, ...rest }) => rest);
              }}
              error={errors['provenance.source']}
              withAsterisk
              allowDeselect={false}
              w={300}
            />
            <TextInput
              label="Date supplied"
              type="date"
              value={sourceDate}
              max={todayIso()}
              onChange={(e) => {
                setSourceDate(e.currentTarget.value);
                setErrors(({ 'provenance.date': _gone, ...rest }) => rest);
              }}
              error={errors['provenance.date']}
              withAsterisk
              w={180}
            />
          </Group>
          <Group
            gap="sm"
            wrap="nowrap"
            mb={errors['provenance.source'] || errors['provenance.date'] ? 22 : 0}
          >
            <Button variant="default" onClick={onCancel} disabled={busy}>
              Cancel
            </Button>
            <Button type="submit" loading={busy} leftSection={<IconDeviceFloppy size={16} />}>
              {mode === 'edit' ? 'Save changes' : 'Create account'}
            </Button>
          </Group>
        </Group>
        <Text size="xs" c="dimmed" mt={6}>
          Every save records where the information came from: Custodian keeps only what customers
          supplied themselves.
        </Text>
      </Paper>
    </form>
  );
}
