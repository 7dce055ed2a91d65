import { Alert, Button, Center, Group, Loader, Stack } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { SessionInfo } from '../../shared/types';
import { call, isApiError, onSessionProblem } from './api';
import { ChangePasswordScreen } from './auth/ChangePasswordScreen';
import { FirstRunScreen } from './auth/FirstRunScreen';
import { LockOverlay } from './auth/LockOverlay';
import { LoginScreen } from './auth/LoginScreen';
import { SessionContext, type SessionContextValue } from './session';
import { useSessionCache } from './data';
import { ConsoleShell } from './shell/ConsoleShell';
import { useIdleLock } from './useIdleLock';
import { useWorkstation } from './workstation/context';

type Phase =
  | { kind: 'loading' }
  | { kind: 'unavailable'; message: string; team: boolean }
  | { kind: 'firstRun' }
  | { kind: 'login'; notice?: string | undefined; unreachable?: boolean }
  | { kind: 'changePassword'; session: SessionInfo }
  | { kind: 'console'; session: SessionInfo; locked: boolean };

const OFFLINE_SIGN_IN =
  'If you have signed in on this workstation before, you can sign in and work on its offline copy.';

function phaseFor(session: SessionInfo): Phase {
  if (session.mustChangePassword) return { kind: 'changePassword', session };
  return { kind: 'console', session, locked: session.locked };
}

export function App() {
  const workstation = useWorkstation();
  const [phase, setPhase] = useState<Phase>({ kind: 'loading' });
  const [appVersion, setAppVersion] = useState('');
  const [unlockCount, setUnlockCount] = useState(0);

  const loadStatus = useCallback(async () => {
    try {
      const status = await call('app.status', {});
      setAppVersion(status.appVersion);
      if (!status.initialised) setPhase({ kind: 'firstRun' });
      else if (!status.session) setPhase({ kind: 'login' });
      else setPhase(phaseFor(status.session));
    } catch (err) {
      // A team workstation away from its server: who signed in here before may sign in offline.
      if (isApiError(err) && err.code === 'SERVER_UNREACHABLE') {
        setPhase({ kind: 'login', notice: `${err.message} ${OFFLINE_SIGN_IN}`, unreachable: true });
        return;
      }
      setPhase({
        kind: 'unavailable',
        message: isApiError(err) ? err.message : 'The console could not start.',
        // The team server refused or could not be reached: enrolling again may be the answer.
        team: isApiError(err) && err.code === 'NOT_ENROLLED',
      });
    }
  }, []);

  useEffect(() => {
    void loadStatus();
  }, [loadStatus]);

  const signedIn = useCallback((session: SessionInfo) => setPhase(phaseFor(session)), []);
  const toLogin = useCallback((notice?: string) => setPhase({ kind: 'login', notice }), []);

  // Any call refused because of the session: lock screen, sign-in, or password change.
  useEffect(
    () =>
      onSessionProblem((err) => {
        if (err.code === 'SESSION_LOCKED') {
          notifications.clean();
          setPhase((p) => (p.kind === 'console' ? { ...p, locked: true } : p));
        } else if (err.code === 'UNAUTHENTICATED') {
          setPhase((p) =>
            p.kind === 'login' || p.kind === 'firstRun'
              ? p
              : { kind: 'login', notice: 'Your session has ended. Sign in again.' },
          );
        } else if (err.code === 'PASSWORD_CHANGE_REQUIRED') {
          void loadStatus();
        }
      }),
    [loadStatus],
  );

  const lock = useCallback(() => {
    // Cover the screen first (toasts may name a customer: drop them), then tell the backend.
    notifications.clean();
    setPhase((p) => (p.kind === 'console' ? { ...p, locked: true } : p));
    call('auth.lock', {}).catch(() => undefined);
  }, []);

  const signOut = useCallback(async () => {
    await call('auth.logout', {}).catch(() => null);
    setPhase({ kind: 'login', notice: 'You have signed out.' });
  }, []);

  const updateSession = useCallback((session: SessionInfo) => {
    setPhase((p) => (p.kind === 'console' ? { ...p, session } : p));
  }, []);

  useSessionCache(phase.kind === 'console', unlockCount);

  const consoleActive = phase.kind === 'console' && !phase.locked;
  useIdleLock(consoleActive, phase.kind === 'console' ? phase.session.idleLockMinutes : 10, lock);

  const session = phase.kind === 'console' ? phase.session : null;
  const context = useMemo<SessionContextValue | null>(
    () => (session ? { session, appVersion, updateSession, lock, signOut, unlockCount } : null),
    [session, appVersion, updateSession, lock, signOut, unlockCount],
  );

  switch (phase.kind) {
    case 'loading':
      return (
        <Center h="100%">
          <Loader aria-label="Loading" />
        </Center>
      );
    case 'unavailable':
      return (
        <Center h="100%" p="xl">
          <Stack maw={480}>
            <Alert color="red" icon={<IconAlertTriangle />} title="Custodian could not start">
              {phase.message}
            </Alert>
            <Group>
              <Button variant="default" onClick={() => void loadStatus()}>
                Try again
              </Button>
              {phase.team && (
                <Button variant="subtle" onClick={workstation.setUpTeam}>
                  Enrol with the team server again…
                </Button>
              )}
            </Group>
          </Stack>
        </Center>
      );
    case 'firstRun':
      return (
        <FirstRunScreen onCreated={signedIn} onAlreadyInitialised={(message) => toLogin(message)} />
      );
    case 'login':
      return (
        <LoginScreen
          notice={phase.notice}
          appVersion={appVersion}
          onSignedIn={signedIn}
          // The server may be gone for good, or not be the one pinned: enrolling again is a way.
          enrolAgain={phase.unreachable ? workstation.setUpTeam : undefined}
        />
      );
    case 'changePassword':
      return (
        <ChangePasswordScreen
          session={phase.session}
          onChanged={signedIn}
          onSignOut={() => void signOut()}
        />
      );
    case 'console':
      return (
        <SessionContext.Provider value={context}>
          <div
            className="console-root"
            inert={phase.locked}
            aria-hidden={phase.locked || undefined}
            style={{ visibility: phase.locked ? 'hidden' : 'visible', height: '100%' }}
          >
            <ConsoleShell />
          </div>
          {phase.locked && (
            <LockOverlay
              session={phase.session}
              onUnlocked={(next) => {
                setPhase(phaseFor(next));
                setUnlockCount((n) => n + 1);
              }}
              onSignedOut={(notice) => toLogin(notice ?? 'You have signed out.')}
            />
          )}
        </SessionContext.Provider>
      );
  }
}
