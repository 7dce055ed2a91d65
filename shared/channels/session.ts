/** Signing in, the lock and the app's own state. */
import { channel, empty } from './spec';
import { z } from 'zod';
import { displayName, newPassword, passwordPair, username } from '../schemas';
import type { AppStatus, SessionInfo } from '../types';

export const sessionChannels = {
  'app.status': channel<AppStatus>()({ input: empty, gate: 'public' }),
  'setup.createFirstAdmin': channel<SessionInfo>()({
    input: z.intersection(z.object({ displayName, username }), passwordPair),
    gate: 'public',
  }),
  'auth.login': channel<SessionInfo>()({
    input: z.object({ username, password: z.string().min(1, 'Enter your password.').max(256) }),
    gate: 'public',
  }),
  'auth.logout': channel<null>()({ input: empty, gate: 'public' }),
  'auth.lock': channel<null>()({ input: empty, gate: 'locked-ok' }),
  'auth.unlock': channel<SessionInfo>()({
    input: z.object({ password: z.string().min(1, 'Enter your password.').max(256) }),
    gate: 'locked-ok',
  }),
  'auth.heartbeat': channel<null>()({ input: empty, gate: 'session' }),
  'auth.changePassword': channel<SessionInfo>()({
    input: z.intersection(
      z.object({ currentPassword: z.string().min(1, 'Enter your current password.').max(256) }),
      z
        .object({ password: newPassword, passwordConfirm: z.string() })
        .refine((v) => v.password === v.passwordConfirm, {
          message: 'The two passwords differ.',
          path: ['passwordConfirm'],
        }),
    ),
    gate: 'password-change',
  }),
} as const;
