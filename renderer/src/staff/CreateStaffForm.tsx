import { Alert, PasswordInput, Select, TextInput } from '@mantine/core';
import { IconInfoCircle } from '@tabler/icons-react';
import { useState } from 'react';
import { ROLES, ROLE_LABELS, type Role } from '../../../shared/roles';
import type { StaffSummary } from '../../../shared/types';
import { DialogForm } from '../DialogForm';
import { useAction } from '../data';

export const ROLE_OPTIONS = ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }));

export function CreateStaffForm({
  onCancel,
  onCreated,
}: {
  onCancel(): void;
  onCreated(member: StaffSummary): void;
}) {
  const [displayName, setDisplayName] = useState('');
  const [username, setUsername] = useState('');
  const [role, setRole] = useState<Role | null>(null);
  const [password, setPassword] = useState('');
  const create = useAction('staff.create', {
    fields: ['displayName', 'username', 'role', 'temporaryPassword'],
  });
  const errors = create.fieldErrors;

  async function submit() {
    const created = await create.run({
      displayName,
      username,
      // An unchosen role is sent as is: the backend names the missing field.
      role: role as Role,
      temporaryPassword: password,
    });
    if (created) onCreated(created);
  }

  return (
    <DialogForm
      onSubmit={() => void submit()}
      onCancel={onCancel}
      submitLabel="Add staff member"
      busy={create.busy}
      error={create.unplaced}
    >
      <TextInput
        label="Display name"
        value={displayName}
        onChange={(e) => setDisplayName(e.currentTarget.value)}
        error={errors.displayName}
        data-autofocus
      />
      <TextInput
        label="Username"
        description="3 to 32 characters: letters, digits, dot, dash or underscore."
        value={username}
        onChange={(e) => setUsername(e.currentTarget.value)}
        error={errors.username}
        autoComplete="off"
        spellCheck={false}
      />
      <Select
        label="Role"
        data={ROLE_OPTIONS}
        value={role}
        onChange={(v) => setRole(v as Role | null)}
        error={errors.role}
        allowDeselect={false}
        placeholder="Choose a role"
      />
      <PasswordInput
        label="Temporary password"
        description="12 characters or more."
        value={password}
        onChange={(e) => setPassword(e.currentTarget.value)}
        error={errors.temporaryPassword}
        autoComplete="new-password"
      />
      <Alert color="indigo" variant="light" icon={<IconInfoCircle size={18} />}>
        Give the temporary password to the person directly. They must choose a new password of their
        own the first time they sign in.
      </Alert>
    </DialogForm>
  );
}
