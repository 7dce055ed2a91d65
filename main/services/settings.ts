import type { Knex } from 'knex';
import type { Settings } from '../../shared/types';

export const DEFAULT_SETTINGS: Settings = { idleLockMinutes: 10, accessLogRetentionDays: 400 };

export class SettingsService {
  private cache: Settings | undefined;
  constructor(private readonly db: Knex) {}

  async get(): Promise<Settings> {
    if (this.cache) return this.cache;
    const rows = await this.db('settings').select('key', 'value');
    const stored = Object.fromEntries(
      rows.map((r: { key: string; value: string }) => [r.key, JSON.parse(r.value)]),
    );
    this.cache = { ...DEFAULT_SETTINGS, ...stored } as Settings;
    return this.cache;
  }

  async update(patch: Partial<Settings>): Promise<Settings> {
    await this.db.transaction(async (trx) => {
      for (const [key, value] of Object.entries(patch)) {
        await trx('settings')
          .insert({ key, value: JSON.stringify(value) })
          .onConflict('key')
          .merge();
      }
    });
    this.cache = undefined;
    return this.get();
  }
}
