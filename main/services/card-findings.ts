/**
 * Card numbers found in text already stored (migration 0010, main/db/card-data.ts), for an
 * administrator: the findings (table, column, row; never the value), and a re-check that
 * marks resolved every finding whose text no longer holds a card number once it is redacted.
 */
import { AppError } from '../../shared/errors';
import type { Role } from '../../shared/roles';
import type { Db } from '../db/handle';
import { CardFindingsStore, type CardFindingRow } from '../db/stores/card-findings';

export type CardFinding = CardFindingRow;

function requireAdministrator(role: Role): void {
  if (role !== 'administrator') {
    throw new AppError('FORBIDDEN', 'Only an administrator may see where card numbers were found.');
  }
}

export class CardFindingsService {
  private readonly store: CardFindingsStore;

  constructor(db: Db) {
    this.store = new CardFindingsStore(db);
  }

  /** Open findings (and resolved ones if asked), oldest first, a page at a time. */
  list(
    role: Role,
    opts: { includeResolved?: boolean; afterId?: number; limit?: number } = {},
  ): Promise<CardFinding[]> {
    requireAdministrator(role);
    return this.store.list(opts);
  }

  /** Reads each open finding's text again; those without a card number any more are resolved. */
  recheck(role: Role): Promise<{ resolved: number; open: number }> {
    requireAdministrator(role);
    return this.store.recheck();
  }

  /** How many findings are open (the caller shows it to administrators only). */
  openCount(): Promise<number> {
    return this.store.openCount();
  }
}
