import { Select, Text, TextInput } from '@mantine/core';
import type { Role } from '../../../shared/roles';
import type { StaffSummary } from '../../../shared/types';
import { DialogForm } from '../DialogForm';
import { useActionForm } from '../data';
import { ROLE_OPTIONS } from './CreateStaffForm';

export function EditStaffForm({
  member,
  onCancel,
  onSaved,
  onStale,
}: {
  member: StaffSummary;
  onCancel(): void;
  onSaved(member: StaffSummary): void;
  onStale(): void;
}) {
  const update = useActionForm('staff.update', {
    initialValues: { displayName: member.displayName, role: member.role as Role },
    // Only what changed is sent.
    toInput: ({ displayName, role }) => ({
      id: member.id,
      version: member.version,
      ...(displayName !== member.displayName ? { displayName } : {}),
      ...(role !== member.role ? { role } : {}),
    }),
    onDone: onSaved,
    onRefused: (err) => err.code === 'CONFLICT' && onStale(),
    wholeMessage: true,
  });

  return (
    <DialogForm
      {...update.frame}
      onCancel={onCancel}
      submitLabel="Save"
      intro={
        <Text size="sm" c="dimmed">
          @{member.username}
        </Text>
      }
    >
      <TextInput label="Display name" {...update.field('displayName')} />
      <Select
        label="Role"
        description="A new role applies at once, also to a session already open; administrator and compliance officer wait for another holder's approval."
        data={ROLE_OPTIONS}
        {...update.field('role')}
        allowDeselect={false}
      />
    </DialogForm>
  );
}
