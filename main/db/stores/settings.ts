/** The settings store: the only reader and writer of `settings` (one JSON value per key). */
import type { Knex } from 'knex';

export class SettingsStore {
  constructor(private readonly db: Knex) {}

  /** Every stored setting, parsed. */
  async all(): Promise<Record<string, unknown>> {
    const rows = await this.db('settings').select('key', 'value');
    return Object.fromEntries(
      rows.map((r: { key: string; value: string }) => [r.key, JSON.parse(r.value)]),
    );
  }

  /** Stores every value of `patch` in one transaction. */
  async put(patch: Record<string, unknown>): Promise<void> {
    await this.db.transaction(async (trx) => {
      for (const [key, value] of Object.entries(patch)) {
        await trx('settings')
          .insert({ key, value: JSON.stringify(value) })
          .onConflict('key')
          .merge();
      }
    });
  }
}
