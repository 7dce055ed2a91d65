import type { Channel } from '../../shared/contract';
import { accessLogHandlers } from './access-log-handlers';
import { accountHandlers } from './account-handlers';
import { authHandlers } from './auth-handlers';
import { collectionsHandlers } from './collections-handlers';
import { disclosureHandlers } from './disclosure-handlers';
import { enrolmentHandlers } from './enrolment-handlers';
import { importHandlers } from './import-handlers';
import { keysHandlers } from './keys-handlers';
import { settingsHandlers } from './settings-handlers';
import { staffHandlers } from './staff-handlers';
import { syncHandlers } from './sync-handlers';
import { visibilityHandlers } from './visibility-handlers';
import type { HandlerMap } from './types';

/** Every channel of the contract, each answered by exactly one domain's handler. */
export const handlers: HandlerMap<Channel> = {
  ...authHandlers,
  ...accountHandlers,
  ...settingsHandlers,
  ...staffHandlers,
  ...visibilityHandlers,
  ...disclosureHandlers,
  ...accessLogHandlers,
  ...collectionsHandlers,
  ...importHandlers,
  ...enrolmentHandlers,
  ...keysHandlers,
  ...syncHandlers,
};
