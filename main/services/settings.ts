import type { Settings } from '../../shared/types';
import type { Db } from '../db/handle';
import { SettingsStore } from '../db/stores/settings';

export const DEFAULT_SETTINGS: Settings = {
  idleLockMinutes: 10,
  accessLogRetentionDays: 400,
  // Three days without the team server before a workstation's offline copy stops opening.
  replicaLeaseHours: 72,
};

export class SettingsService {
  private cache: Settings | undefined;
  private readonly store: SettingsStore;

  constructor(db: Db) {
    this.store = new SettingsStore(db);
  }

  async get(): Promise<Settings> {
    if (this.cache) return this.cache;
    const stored = await this.store.all();
    this.cache = { ...DEFAULT_SETTINGS, ...stored } as Settings;
    return this.cache;
  }

  async update(patch: Partial<Settings>): Promise<Settings> {
    await this.store.put(patch);
    this.cache = undefined;
    return this.get();
  }
}
