/**
 * Counting attempts across every team server instance (sign-in per address and per username,
 * enrolment per code): the counters live in the database, not in one process's memory.
 */
import type { Db } from '../db/handle';
import { RateCounterStore } from '../db/stores/rate-counters';
import type { Clock } from './clock';

export interface Hit {
  /** Attempts in the current window, this one included. */
  count: number;
  /** Milliseconds until the window ends. */
  ttlMs: number;
}

/** Counters older than this are pruned as new ones are counted. */
const PRUNE_AFTER_MS = 60 * 60 * 1000;

export class RateCounterService {
  private readonly store: RateCounterStore;
  private lastPrune = 0;

  constructor(
    db: Db,
    private readonly clock: Clock,
  ) {
    this.store = new RateCounterStore(db);
  }

  async hit(key: string, windowMs: number): Promise<Hit> {
    const now = this.clock.now().getTime();
    const counted = await this.store.hit(key, windowMs, now);
    if (now - this.lastPrune > PRUNE_AFTER_MS) {
      this.lastPrune = now;
      await this.store.prune(now - PRUNE_AFTER_MS);
    }
    return { count: counted.count, ttlMs: Math.max(0, counted.windowStart + windowMs - now) };
  }
}
