import type { CustodianApi } from '../../shared/api';

declare global {
  interface Window {
    /** The one object the preload (or the test harness) exposes: every call goes through it. */
    readonly custodian: CustodianApi;
  }
}

export {};
