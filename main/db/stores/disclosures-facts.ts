/**
 * What a disclosure reads of other table families (recipients, accounts and their holds, staff)
 * to decide and to record it. Reads only: those tables have their own writers.
 */
import type { Knex } from 'knex';
import type { FraudFlag, Standing } from '../../../shared/catalogue';
import type { RecipientType } from '../../../shared/disclosure';
import type { HoldKind } from '../../../shared/standing';
import { whereIdIn } from '../engine/id-list';
import { selectColumns, unpackRows } from '../engine/packed-rows';
import type { Scope } from './scope';

export interface RecipientFacts {
  id: string;
  name: string;
  type: RecipientType;
  contact: string | null;
  active: boolean;
}

export interface AccountGateFacts {
  id: string;
  accountNumber: string;
  standing: Standing;
  fraudFlag: FraudFlag;
  holds: HoldKind[];
}

/** A whole account row as stored (its columns by name). */
export type StoredAccountRow = Record<string, unknown> & { id: string };

/** Accounts read per statement, as one bound value (id-list.ts): few round trips. */
const CHUNK = 5000;

/** The account columns the gate checks, in the order gateAccounts reads them. */
const GATE_COLUMNS = ['id', 'account_number', 'standing', 'fraud_flag'] as const;

export class DisclosureFactsStore {
  constructor(private readonly db: Knex) {}

  /** The database as a scope, for reads of other stores outside any transaction. */
  get scope(): Scope {
    return this.db;
  }

  async recipient(id: string, scope: Scope = this.db): Promise<RecipientFacts | undefined> {
    const r = await scope('recipients').where({ id }).first();
    if (!r) return undefined;
    return {
      id: String(r.id),
      name: r.name,
      type: r.type,
      contact: r.contact ?? null,
      active: Boolean(r.active),
    };
  }

  /** The facts the gate checks of each named account; the ids not found are `missing`. */
  async gateAccounts(
    ids: readonly string[],
    scope: Scope = this.db,
  ): Promise<{ accounts: AccountGateFacts[]; missing: string[] }> {
    const accounts: AccountGateFacts[] = [];
    const unique = [...new Set(ids)];
    for (let i = 0; i < unique.length; i += CHUNK) {
      const chunk = unique.slice(i, i + CHUNK);
      // Packed on SQLite (packed-rows.ts): a batch's gate reads 100,000 accounts.
      const rows = unpackRows(
        scope,
        await whereIdIn(scope, selectColumns(scope, scope('accounts'), GATE_COLUMNS), 'id', chunk),
        GATE_COLUMNS,
      );
      const holds = new Map<string, HoldKind[]>();
      for (const h of await whereIdIn(scope, scope('account_holds'), 'account_id', chunk).select(
        'account_id',
        'kind',
      )) {
        holds.set(h.account_id, [...(holds.get(h.account_id) ?? []), h.kind as HoldKind]);
      }
      for (const [id, accountNumber, standing, fraudFlag] of rows as string[][]) {
        accounts.push({
          id: id!,
          accountNumber: accountNumber!,
          standing: standing as Standing,
          fraudFlag: fraudFlag as FraudFlag,
          holds: holds.get(id!) ?? [],
        });
      }
    }
    const found = new Set(accounts.map((a) => a.id));
    return { accounts, missing: unique.filter((id) => !found.has(id)) };
  }

  async staffName(id: string): Promise<string | null> {
    const s = await this.db('staff').where({ id }).first('display_name');
    return s?.display_name ?? null;
  }

  async staffNames(ids: readonly string[], scope: Scope = this.db): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await scope('staff')
      .whereIn('id', [...new Set(ids)])
      .select('id', 'display_name');
    return new Map(rows.map((r) => [String(r.id), String(r.display_name)]));
  }

  async staffRole(id: string): Promise<string> {
    const s = await this.db('staff').where({ id }).first('role');
    return String(s.role);
  }

  /** The named accounts' rows (or every account's, with null), in id order, a chunk at a time. */
  async *accountRows(ids: readonly string[] | null): AsyncGenerator<StoredAccountRow> {
    if (ids) {
      for (let i = 0; i < ids.length; i += CHUNK) {
        yield* await this.db('accounts')
          .whereIn('id', ids.slice(i, i + CHUNK))
          .orderBy('id');
      }
      return;
    }
    let after = '00000000-0000-0000-0000-000000000000'; // below every id; '' is no uuid on pg
    for (;;) {
      const rows: StoredAccountRow[] = await this.db('accounts')
        .where('id', '>', after)
        .orderBy('id')
        .limit(1000);
      yield* rows;
      if (rows.length < 1000) return;
      after = rows.at(-1)!.id;
    }
  }
}
