import { Anchor, Button } from '@mantine/core';
import type { WorkstationStatus } from '../../../shared/workstation';
import { callWorkstation } from '../api';
import { AuthForm } from '../auth/AuthForm';
import { AuthLayout } from '../auth/AuthLayout';
import { EMPTY_JOIN, JoinTeamFields } from './JoinTeamFields';
import { useWorkstationForm } from './useWorkstationForm';

/**
 * A team workstation that cannot reach its server as itself: not enrolled yet, its enrolment
 * revoked, its key lost with the keychain. It is enrolled (again) with a new one-time code, or
 * goes back to this computer's own database.
 */
export function JoinTeamScreen({
  problem,
  onStatus,
  onCancel,
}: {
  problem: string | null;
  onStatus(status: WorkstationStatus): void;
  /** Back to the console when the screen was opened over a working one. */
  onCancel?: () => void;
}) {
  const auth = useWorkstationForm({
    initialValues: EMPTY_JOIN,
    send: (values) => callWorkstation('workstation.joinTeam', values),
    onStatus,
  });
  const useEmbedded = async () => {
    try {
      onStatus(await callWorkstation('workstation.useEmbedded', {}));
    } catch (err) {
      auth.setProblem({ text: (err as Error).message });
    }
  };
  return (
    <AuthLayout
      title="Connect to the team server"
      subtitle="Your administrator gives you the server's address, its fingerprint and a one-time enrolment code."
    >
      <AuthForm auth={auth} notice={problem ?? undefined}>
        <JoinTeamFields form={auth.form} />
        <Button type="submit" loading={auth.busy} mt="xs" fullWidth>
          Enrol this workstation
        </Button>
        {onCancel ? (
          <Anchor component="button" type="button" size="sm" onClick={onCancel}>
            Back
          </Anchor>
        ) : (
          <Anchor component="button" type="button" size="sm" onClick={() => void useEmbedded()}>
            Use this computer&rsquo;s own database instead
          </Anchor>
        )}
      </AuthForm>
    </AuthLayout>
  );
}
