/**
 * The card findings store: the findings table that main/db/card-data.ts scans into (migration
 * 0010), as an administrator reads and re-checks it.
 */
import type { Knex } from 'knex';
import {
  countOpenFindings,
  listFindings,
  recheckFindings,
  type CardFindingRow,
} from '../card-data';

export type { CardFindingRow } from '../card-data';

export class CardFindingsStore {
  constructor(private readonly db: Knex) {}

  list(opts: {
    includeResolved?: boolean;
    afterId?: number;
    limit?: number;
  }): Promise<CardFindingRow[]> {
    return listFindings(this.db, opts);
  }

  recheck(): Promise<{ resolved: number; open: number }> {
    return recheckFindings(this.db);
  }

  openCount(): Promise<number> {
    return countOpenFindings(this.db);
  }
}
