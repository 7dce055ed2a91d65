import { Alert, Button, Center, Loader, Stack } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { WorkstationStatus } from '../../../shared/workstation';
import { callWorkstation } from '../api';
import { WorkstationContext, type WorkstationContextValue } from './context';
import { JoinTeamScreen } from './JoinTeamScreen';
import { NewKeyScreen } from './NewKeyScreen';
import { RecoveryKeyScreen } from './RecoveryKeyScreen';
import { UnlockScreen } from './UnlockScreen';

/**
 * Before the console: the workstation's own start-up (the database key, a new database's
 * recovery key, enrolment with the team server). The console renders only once it is ready.
 */
export function WorkstationGate({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<WorkstationStatus | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [joining, setJoining] = useState(false);

  const load = useCallback(async () => {
    setProblem(null);
    try {
      setStatus(await callWorkstation('workstation.status', {}));
    } catch (err) {
      setProblem((err as Error).message);
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  const context = useMemo<WorkstationContextValue | null>(
    () =>
      status && {
        status,
        setUpTeam: () => setJoining(true),
        // Another database: reload, so no screen, cache or session of the old one remains.
        switched: () => window.location.reload(),
      },
    [status],
  );

  if (problem) return <StartFailed message={problem} onRetry={() => void load()} />;
  if (!status || !context) {
    return (
      <Center h="100%">
        <Loader aria-label="Loading" />
      </Center>
    );
  }
  const state = status.state;
  if (joining || state.kind === 'team-setup') {
    return (
      <JoinTeamScreen
        problem={state.kind === 'team-setup' ? state.problem : null}
        onStatus={(next) => (joining ? context.switched(next) : setStatus(next))}
        {...(joining ? { onCancel: () => setJoining(false) } : {})}
      />
    );
  }
  switch (state.kind) {
    case 'failed':
      return <StartFailed message={state.message} onRetry={() => void load()} />;
    case 'new-key':
      return <NewKeyScreen onStatus={setStatus} />;
    case 'locked':
      return (
        <UnlockScreen
          status={status}
          passphrase={state.passphrase}
          problem={state.problem}
          onStatus={setStatus}
        />
      );
    case 'ready':
      if (status.recoveryKey) {
        return <RecoveryKeyScreen recoveryKey={status.recoveryKey} onStatus={setStatus} />;
      }
      return <WorkstationContext.Provider value={context}>{children}</WorkstationContext.Provider>;
  }
}

function StartFailed({ message, onRetry }: { message: string; onRetry(): void }) {
  return (
    <Center h="100%" p="xl">
      <Stack maw={520}>
        <Alert color="red" icon={<IconAlertTriangle />} title="Custodian could not start">
          {message}
        </Alert>
        <Button variant="default" onClick={onRetry}>
          Try again
        </Button>
      </Stack>
    </Center>
  );
}
