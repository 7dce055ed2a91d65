import { Select, TextInput, Textarea } from '@mantine/core';
import { useState } from 'react';
import {
  RECIPIENT_TYPES,
  RECIPIENT_TYPE_LABELS,
  type RecipientType,
} from '../../../shared/disclosure';
import type { Recipient } from '../../../shared/types';
import { DialogForm } from '../DialogForm';
import { useAction } from '../data';

/** Registers a third party: who it is, what kind (which decides the purposes), where it is. */
export function RecipientForm({
  onCancel,
  onCreated,
}: {
  onCancel(): void;
  onCreated(r: Recipient): void;
}) {
  const [name, setName] = useState('');
  const [type, setType] = useState<RecipientType | null>(null);
  const [contact, setContact] = useState('');
  const [reference, setReference] = useState('');
  const [openpgpKey, setOpenpgpKey] = useState('');
  const create = useAction('recipients.create', {
    fields: ['name', 'type', 'contact', 'reference', 'openpgpKey'],
  });
  const errors = create.fieldErrors;

  async function submit() {
    const created = await create.run({
      name,
      type: type!,
      contact,
      ...(reference.trim() ? { reference } : {}),
      ...(openpgpKey.trim() ? { openpgpKey } : {}),
    });
    if (created) onCreated(created);
  }

  return (
    <DialogForm
      onSubmit={() => void submit()}
      onCancel={onCancel}
      submitLabel="Register"
      busy={create.busy}
      error={create.unplaced}
    >
      <TextInput
        label="Name"
        description="The organisation or person, as on their letterhead or the legal instrument."
        value={name}
        onChange={(e) => setName(e.currentTarget.value)}
        error={errors.name}
        data-autofocus
        maxLength={200}
      />
      <Select
        label="Type"
        description="Decides which purposes may disclose to this recipient."
        placeholder="Choose the kind of recipient"
        data={RECIPIENT_TYPES.map((t) => ({ value: t, label: RECIPIENT_TYPE_LABELS[t] }))}
        value={type}
        onChange={setType}
        error={errors.type}
        allowDeselect={false}
      />
      <Textarea
        label="Postal address and contact details"
        description="Recorded in every disclosure, so that a customer can be told exactly who received their data."
        value={contact}
        onChange={(e) => setContact(e.currentTarget.value)}
        error={errors.contact}
        autosize
        minRows={3}
        maxLength={1000}
      />
      <TextInput
        label="Reference (optional)"
        description="Contract, licence or case number."
        value={reference}
        onChange={(e) => setReference(e.currentTarget.value)}
        error={errors.reference}
        maxLength={200}
      />
      <Textarea
        label="OpenPGP public key (optional)"
        description="Paste the recipient's armored public key: files for them are then sealed so that only they can open them."
        value={openpgpKey}
        onChange={(e) => setOpenpgpKey(e.currentTarget.value)}
        error={errors.openpgpKey}
        autosize
        minRows={2}
        maxRows={6}
        ff="monospace"
      />
    </DialogForm>
  );
}
