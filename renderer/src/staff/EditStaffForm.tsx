import { Select, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import type { Role } from '../../../shared/roles';
import type { StaffSummary } from '../../../shared/types';
import { DialogForm } from '../DialogForm';
import { useAction } from '../data';
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
  const [displayName, setDisplayName] = useState(member.displayName);
  const [role, setRole] = useState<Role>(member.role);
  const update = useAction('staff.update', {
    fields: ['displayName', 'role'],
    onRefused: (err) => err.code === 'CONFLICT' && onStale(),
  });

  async function submit() {
    const saved = await update.run({
      id: member.id,
      version: member.version,
      ...(displayName !== member.displayName ? { displayName } : {}),
      ...(role !== member.role ? { role } : {}),
    });
    if (saved) onSaved(saved);
  }

  return (
    <DialogForm
      onSubmit={() => void submit()}
      onCancel={onCancel}
      submitLabel="Save"
      busy={update.busy}
      error={update.message}
      intro={
        <Text size="sm" c="dimmed">
          @{member.username}
        </Text>
      }
    >
      <TextInput
        label="Display name"
        value={displayName}
        onChange={(e) => setDisplayName(e.currentTarget.value)}
        error={update.fieldErrors.displayName}
      />
      <Select
        label="Role"
        description="A new role applies at once, also to a session already open; administrator and compliance officer wait for another holder's approval."
        data={ROLE_OPTIONS}
        value={role}
        onChange={(v) => v && setRole(v as Role)}
        error={update.fieldErrors.role}
        allowDeselect={false}
      />
    </DialogForm>
  );
}
