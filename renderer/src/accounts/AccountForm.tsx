import { Stack, Text, Title } from '@mantine/core';
import { useEffect, useMemo, useRef, type FormEvent } from 'react';
import { EDITABLE_FIELD_KEYS, FIELDS, type FieldKey } from '../../../shared/catalogue';
import type { AccountDetail, VisibleAccess } from '../../../shared/types';
import { useScreenKeys } from '../palette/useScreenKeys';
import { useSession } from '../session';
import { accountTitle } from './accountTitle';
import { FieldGroups } from './form/FieldGroups';
import { FormMessage } from './form/FormMessage';
import { ProvenanceFooter } from './form/ProvenanceFooter';
import { useAccountSave } from './form/useAccountSave';

/** A new account, or an edit of one: the fields the role may edit, where they came from. */
export function AccountForm({
  mode,
  detail,
  onCancel,
  onSaved,
}: {
  mode: 'create' | 'edit';
  /** The account edited (edit mode). */
  detail?: AccountDetail | undefined;
  onCancel(): void;
  onSaved(detail: AccountDetail): void;
}) {
  const { session } = useSession();
  const access: VisibleAccess = detail?.access ?? session.fieldAccess;

  /** Every field the form shows: editable ones as inputs, the rest (edit mode) read-only. */
  const shownKeys = useMemo(
    () =>
      FIELDS.filter((f) => {
        const a = access[f.key];
        if (!a) return false;
        return mode === 'edit' || (a === 'edit' && !('system' in f && f.system));
      }).map((f): FieldKey => f.key),
    [access, mode],
  );
  const editableKeys = useMemo(
    () => EDITABLE_FIELD_KEYS.filter((k) => access[k] === 'edit'),
    [access],
  );
  const form = useAccountSave({ detail, shownKeys, editableKeys, onSaved });
  const scrollRef = useRef<HTMLDivElement>(null);
  // Ctrl+S saves; Esc leaves only a form with nothing changed (nothing typed is lost).
  useScreenKeys(scrollRef, {
    save: () => !form.busy && void form.submit(),
    back: () => form.changedByMe.length === 0 && onCancel(),
  });

  // A refused save: bring the explanation (and the first fields) into view.
  useEffect(() => {
    if (form.message) scrollRef.current?.scrollTo({ top: 0 });
  }, [form.message]);

  const title = detail ? `Edit ${accountTitle(detail)}` : 'New account';
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void form.submit();
  };

  return (
    <form onSubmit={submit} noValidate aria-label={title} className="section-fill account-form">
      <div className="section-scroll" ref={scrollRef}>
        <Stack gap="md" pb="md" maw={1100}>
          <div>
            <Title order={2} fz="h3">
              {title}
            </Title>
            <Text size="sm" c="dimmed">
              {detail
                ? `${String(detail.fields.accountNumber ?? '')} · editing version ${form.base.version}. Only the fields you change are saved.`
                : 'Record only what the customer supplied. Fields marked * are required.'}
            </Text>
          </div>
          {form.message && (
            <FormMessage
              message={form.message}
              conflict={form.conflict}
              changedByThem={form.changedByThem}
              onRebase={form.rebase}
            />
          )}
          <FieldGroups
            shownKeys={shownKeys}
            editableKeys={editableKeys}
            values={form.values}
            baseValues={form.base.values}
            errors={form.errors}
            access={access}
            display={form.conflict ?? form.base.detail}
            conflict={form.conflict}
            changedByMe={form.changedByMe}
            changedByThem={form.changedByThem}
            onValue={form.setValue}
          />
        </Stack>
      </div>
      <ProvenanceFooter
        source={form.source}
        onSource={form.setSource}
        sourceDate={form.sourceDate}
        onSourceDate={form.setSourceDate}
        errors={form.errors}
        busy={form.busy}
        submitLabel={mode === 'edit' ? 'Save changes' : 'Create account'}
        onCancel={onCancel}
      />
    </form>
  );
}
