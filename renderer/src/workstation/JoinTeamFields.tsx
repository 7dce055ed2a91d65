import { TextInput } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';

export interface JoinTeamValues extends Record<string, string> {
  url: string;
  fingerprint: string;
  code: string;
  name: string;
}

export const EMPTY_JOIN: JoinTeamValues = { url: '', fingerprint: '', code: '', name: '' };

/** What an administrator reads out to enrol a workstation with the team server. */
export function JoinTeamFields({ form }: { form: UseFormReturnType<JoinTeamValues> }) {
  return (
    <>
      <TextInput
        label="Team server address"
        placeholder="https://custodian.example.internal:8443"
        {...form.getInputProps('url')}
        autoComplete="off"
        spellCheck={false}
        required
        data-autofocus
      />
      <TextInput
        label="Certificate fingerprint (SHA-256)"
        description="As the administrator read it out from the server: nothing is sent to a server whose certificate differs."
        {...form.getInputProps('fingerprint')}
        autoComplete="off"
        spellCheck={false}
        classNames={{ input: 'monospace-input' }}
        required
      />
      <TextInput
        label="Enrolment code"
        description="Issued once by an administrator for this workstation."
        {...form.getInputProps('code')}
        autoComplete="off"
        spellCheck={false}
        classNames={{ input: 'monospace-input' }}
        required
      />
      <TextInput
        label="Workstation name"
        placeholder="Front desk 2"
        {...form.getInputProps('name')}
        required
      />
    </>
  );
}
