import {
  Alert,
  Button,
  Group,
  Paper,
  PasswordInput,
  Stack,
  Text,
  ThemeIcon,
  Title,
} from '@mantine/core';
import { IconLock } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { ROLE_LABELS } from '../../../shared/roles';
import type { SessionInfo } from '../../../shared/types';
import { call, isApiError } from '../api';
import { useOfflineLink } from '../workstation/useOfflineLink';

/** Signed in offline, the server back: what the lock screen says instead of the idle lock. */
function reconnectText(waiting: number): string {
  const changes =
    waiting === 0
      ? 'No change made offline is waiting.'
      : `${waiting} change${waiting === 1 ? '' : 's'} made offline ${waiting === 1 ? 'waits' : 'wait'} to be sent to it.`;
  return `The team server can be reached again. Enter your password to reconnect. ${changes}`;
}

/**
 * The lock screen: an opaque layer over the whole window. The console underneath stays mounted
 * (so the open account and any half-typed form are kept) but is hidden and inert while locked.
 */
export function LockOverlay({
  session,
  onUnlocked,
  onSignedOut,
}: {
  session: SessionInfo;
  onUnlocked(session: SessionInfo): void;
  /** The session ended (signed out, or the staff account got locked): back to sign-in. */
  onSignedOut(notice?: string): void;
}) {
  const [password, setPassword] = useState('');
  /** Wrong password: shown under the input. */
  const [error, setError] = useState<string | null>(null);
  /** Anything else: shown in an Alert. */
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [link] = useOfflineLink();
  const reconnect = link?.reconnect ?? false;

  async function unlock(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setProblem(null);
    try {
      const next = await call('auth.unlock', { password });
      setPassword('');
      onUnlocked(next);
    } catch (err) {
      setPassword('');
      if (isApiError(err) && err.code === 'UNAUTHENTICATED' && err.fieldErrors?.password) {
        setError('Incorrect password.');
      } else if (
        isApiError(err) &&
        (err.code === 'LOGIN_LOCKED' || err.code === 'UNAUTHENTICATED')
      ) {
        onSignedOut(err.message);
      } else if (isApiError(err) && err.fieldErrors?.password) {
        setError(err.fieldErrors.password);
      } else {
        setProblem(isApiError(err) ? err.message : 'Could not unlock. Try again.');
      }
    } finally {
      setBusy(false);
    }
  }

  async function signOut() {
    await call('auth.logout', {}).catch(() => null);
    onSignedOut();
  }

  return (
    <div className="lock-overlay" role="dialog" aria-modal="true" aria-labelledby="lock-title">
      <Paper w={400} maw="calc(100% - 32px)" p="xl" radius="md" shadow="xl">
        <form onSubmit={unlock} noValidate>
          <Stack gap="md">
            <Group gap="sm">
              <ThemeIcon size={44} radius="xl" color="indigo" variant="light">
                <IconLock size={24} />
              </ThemeIcon>
              <div>
                <Title order={2} fz="h3" id="lock-title">
                  {reconnect ? 'Reconnect to the team server' : 'Console locked'}
                </Title>
                <Text size="sm" c="dimmed">
                  {session.user.displayName} · {ROLE_LABELS[session.user.role]}
                </Text>
              </div>
            </Group>
            <Text size="sm" data-testid="lock-reason">
              {reconnect
                ? reconnectText(link?.outbox ?? 0)
                : 'Custodian locked itself to protect customer information. Enter your password to carry on where you left off.'}
            </Text>
            {problem && (
              <Alert color="red" role="alert">
                {problem}
              </Alert>
            )}
            <PasswordInput
              label="Password"
              value={password}
              onChange={(e) => {
                setPassword(e.currentTarget.value);
                setError(null);
              }}
              error={error}
              autoComplete="current-password"
              autoFocus
              required
            />
            <Group justify="space-between">
              <Button variant="subtle" color="gray" onClick={signOut}>
                Sign out
              </Button>
              <Button type="submit" loading={busy}>
                {reconnect ? 'Reconnect' : 'Unlock'}
              </Button>
            </Group>
          </Stack>
        </form>
      </Paper>
    </div>
  );
}
