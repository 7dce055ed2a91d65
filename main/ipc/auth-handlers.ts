import type { AppStatus } from '../../shared/types';
import { version } from '../version';
import type { HandlerMap } from './types';

export const authHandlers: HandlerMap<
  | 'app.status'
  | 'setup.createFirstAdmin'
  | 'auth.login'
  | 'auth.logout'
  | 'auth.lock'
  | 'auth.unlock'
  | 'auth.heartbeat'
  | 'auth.changePassword'
> = {
  'app.status': async (_input, { session, services }) => {
    const status: AppStatus = {
      initialised: await services.auth.isInitialised(),
      appVersion: version,
      session: session.signedIn ? await services.auth.sessionInfo(session) : null,
    };
    // Only an administrator, signed in and unlocked, learns that card numbers were found.
    const info = status.session;
    if (info && !info.locked && info.user.role === 'administrator') {
      status.cardDataFindings = await services.cardFindings.openCount();
    }
    return status;
  },
  'setup.createFirstAdmin': (input, { session, services }) =>
    services.auth.createFirstAdmin(session, input),
  'auth.login': (input, { session, services }) =>
    services.auth.login(session, input.username, input.password),
  'auth.logout': (_input, { session, services }) => {
    services.auth.logout(session);
    return Promise.resolve(null);
  },
  'auth.lock': (_input, { session, services }) => {
    services.auth.lock(session);
    return Promise.resolve(null);
  },
  'auth.unlock': (input, { session, services }) => services.auth.unlock(session, input.password),
  'auth.heartbeat': () => Promise.resolve(null),
  'auth.changePassword': (input, { session, services }) =>
    services.auth.changePassword(session, input.currentPassword, input.password),
};
