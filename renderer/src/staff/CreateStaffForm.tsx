import { Alert, PasswordInput, Select, TextInput } from '@mantine/core';
import { IconInfoCircle } from '@tabler/icons-react';
import { ROLES, ROLE_LABELS, type Role } from '../../../shared/roles';
import type { StaffSummary } from '../../../shared/types';
import { DialogForm } from '../DialogForm';
import { useActionForm } from '../data';

export const ROLE_OPTIONS = ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }));

export function CreateStaffForm({
  onCancel,
  onCreated,
}: {
  onCancel(): void;
  onCreated(member: StaffSummary): void;
}) {
  const create = useActionForm('staff.create', {
    initialValues: {
      displayName: '',
      username: '',
      role: null as Role | null,
      temporaryPassword: '',
    },
    // An unchosen role is sent as is: the backend names the missing field.
    toInput: ({ role, ...rest }) => ({ ...rest, role: role as Role }),
    onDone: onCreated,
  });

  return (
    <DialogForm {...create.frame} onCancel={onCancel} submitLabel="Add staff member">
      <TextInput label="Display name" {...create.field('displayName')} data-autofocus />
      <TextInput
        label="Username"
        description="3 to 32 characters: letters, digits, dot, dash or underscore."
        {...create.field('username')}
        autoComplete="off"
        spellCheck={false}
      />
      <Select
        label="Role"
        data={ROLE_OPTIONS}
        {...create.field('role')}
        allowDeselect={false}
        placeholder="Choose a role"
      />
      <PasswordInput
        label="Temporary password"
        description="12 characters or more."
        {...create.field('temporaryPassword')}
        autoComplete="new-password"
      />
      <Alert color="indigo" variant="light" icon={<IconInfoCircle size={18} />}>
        Give the temporary password to the person directly. They must choose a new password of their
        own the first time they sign in.
      </Alert>
    </DialogForm>
  );
}
