/**
 * Rate counters shared by every team server instance (migration 0021). One statement counts an
 * attempt and starts a new window when the old one has passed, so two instances counting at once
 * never lose an attempt.
 */
import type { Knex } from 'knex';

export interface Count {
  count: number;
  /** When the current window began (ms since the epoch). */
  windowStart: number;
}

interface Row {
  attempts: number | string;
  window_start: number | string;
}

export class RateCounterStore {
  constructor(private readonly db: Knex) {}

  async hit(key: string, windowMs: number, nowMs: number): Promise<Count> {
    const expired = nowMs - windowMs;
    const rows = (await this.db.raw(
      `INSERT INTO rate_counters (name, attempts, window_start) VALUES (?, 1, ?)
       ON CONFLICT (name) DO UPDATE SET
         attempts = CASE WHEN rate_counters.window_start <= ? THEN 1
                         ELSE rate_counters.attempts + 1 END,
         window_start = CASE WHEN rate_counters.window_start <= ? THEN excluded.window_start
                             ELSE rate_counters.window_start END
       RETURNING attempts, window_start`,
      [key, nowMs, expired, expired],
    )) as Row[] | { rows?: Row[] };
    // SQLite answers the rows themselves, pg a result whose rows they are.
    const row = Array.isArray(rows) ? rows[0] : rows.rows?.[0];
    if (!row) throw new Error('the rate counter was not written');
    return { count: Number(row.attempts), windowStart: Number(row.window_start) };
  }

  /** Drops counters whose window ended before `beforeMs`. */
  async prune(beforeMs: number): Promise<void> {
    await this.db('rate_counters').where('window_start', '<', beforeMs).del();
  }
}
