import { Select, TextInput, Textarea } from '@mantine/core';
import {
  RECIPIENT_TYPES,
  RECIPIENT_TYPE_LABELS,
  type RecipientType,
} from '../../../shared/disclosure';
import type { Recipient } from '../../../shared/types';
import { DialogForm, NoteField } from '../DialogForm';
import { useActionForm } from '../data';

/** Registers a third party: who it is, what kind (which decides the purposes), where it is. */
export function RecipientForm({
  onCancel,
  onCreated,
}: {
  onCancel(): void;
  onCreated(r: Recipient): void;
}) {
  const create = useActionForm('recipients.create', {
    initialValues: {
      name: '',
      type: null as RecipientType | null,
      contact: '',
      reference: '',
      openpgpKey: '',
    },
    toInput: ({ reference, type, openpgpKey, ...rest }) => ({
      ...rest,
      // An unchosen type is sent as is: the backend names the missing field.
      type: type!,
      ...(reference.trim() ? { reference } : {}),
      ...(openpgpKey.trim() ? { openpgpKey } : {}),
    }),
    onDone: onCreated,
  });

  return (
    <DialogForm {...create.frame} onCancel={onCancel} submitLabel="Register">
      <TextInput
        label="Name"
        description="The organisation or person, as on their letterhead or the legal instrument."
        {...create.field('name')}
        data-autofocus
        maxLength={200}
      />
      <Select
        label="Type"
        description="Decides which purposes may disclose to this recipient."
        placeholder="Choose the kind of recipient"
        data={RECIPIENT_TYPES.map((t) => ({ value: t, label: RECIPIENT_TYPE_LABELS[t] }))}
        {...create.field('type')}
        allowDeselect={false}
      />
      <NoteField
        label="Postal address and contact details"
        description="Recorded in every disclosure, so that a customer can be told exactly who received their data."
        focus={false}
        {...create.field('contact')}
      />
      <TextInput
        label="Reference (optional)"
        description="Contract, licence or case number."
        {...create.field('reference')}
        maxLength={200}
      />
      <Textarea
        label="OpenPGP public key (optional)"
        description="Paste the recipient's armored public key: files for them are then sealed so that only they can open them."
        {...create.field('openpgpKey')}
        autosize
        minRows={2}
        maxRows={6}
        styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
      />
    </DialogForm>
  );
}
