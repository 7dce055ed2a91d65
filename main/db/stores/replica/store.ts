/**
 * The offline replica's rows (main/replica): the only reader and writer of a replica file's
 * tables. Accounts arrive already projected by the server; this store keeps them and their
 * search keys, and answers pages and single accounts from them.
 */
import type { Knex } from 'knex';
import type { SearchKind } from '../../../../shared/catalogue';
import { phoneDigits } from '../../../../shared/rules';
import { nameSearchKey, searchKey } from '../../../../shared/search';
import type { VisibleAccess, VisibleFields } from '../../../../shared/types';
import { canRead } from '../../../../shared/visibility';
import { createSearchIndexes, dropSearchIndexes } from './schema';

/** Rows written per statement (11 bound values each, under SQLite's limit). */
const CHUNK = 500;

export interface ReplicaAccount {
  id: string;
  version: number;
  createdAt: string;
  updatedAt: string;
  fields: VisibleFields;
}

/** How a replica page is ordered, and where it resumes. */
export type ReplicaSort = 'name' | 'accountNumber' | 'createdAt';

export interface ReplicaPageQuery {
  sort: ReplicaSort;
  direction: 'asc' | 'desc';
  limit: number;
  /** [sort value, id] of the last row of the previous page. */
  after: readonly [string | null, string] | null;
  search: { kind: SearchKind; text: string } | null;
}

const SORT_COLUMN: Record<ReplicaSort, string> = {
  name: 'name_key',
  accountNumber: 'account_number',
  createdAt: 'created_at',
};

interface Row {
  id: string;
  version: number;
  created_at: string;
  updated_at: string;
  fields: string;
  [column: string]: unknown;
}

const cut = (text: string) => [...text].slice(0, 200).join('');

/** The search keys of an account: only from fields `access` shows in full. */
function keysOf(fields: VisibleFields, access: VisibleAccess) {
  const full = (k: keyof VisibleFields) =>
    access[k] !== undefined && canRead(access[k]) && fields[k] !== null && fields[k] !== undefined
      ? String(fields[k])
      : null;
  const first = full('firstName');
  const last = full('lastName');
  const email = full('email');
  const phone = full('phone');
  const names = first !== null || last !== null;
  return {
    account_number: full('accountNumber'),
    name_key: names ? cut(searchKey(`${last ?? ''} ${first ?? ''}`)) : null,
    first_key: names ? cut(searchKey(`${first ?? ''} ${last ?? ''}`)) : null,
    email_key: email !== null ? cut(searchKey(email)) : null,
    phone_digits: phone !== null ? phoneDigits(phone) || null : null,
  };
}

function toAccount(row: Row): ReplicaAccount {
  return {
    id: row.id,
    version: Number(row.version),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    fields: JSON.parse(row.fields) as VisibleFields,
  };
}

/** LIKE's wildcards in a user's text, escaped (the statements say ESCAPE '\'). */
const likeText = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

export class ReplicaStore {
  constructor(private readonly db: Knex) {}

  async meta(): Promise<Record<string, string>> {
    const rows = (await this.db('replica_meta').select('key', 'value')) as {
      key: string;
      value: string;
    }[];
    return Object.fromEntries(rows.map((r) => [r.key, r.value]));
  }

  /** Runs `work` in one transaction of the replica: a page is applied whole or not at all. */
  transaction<T>(work: (writer: ReplicaWriter) => Promise<T>): Promise<T> {
    return this.db.transaction((trx) => work(new ReplicaWriter(trx)));
  }

  /** A first fill into an empty replica runs without the search indexes (schema.ts says why). */
  async beginFirstFill(): Promise<void> {
    await dropSearchIndexes(this.db);
  }

  /** Builds whatever search index is missing; cheap when none is. */
  async ensureSearchIndexes(): Promise<void> {
    await createSearchIndexes(this.db);
  }

  async count(): Promise<number> {
    const row = (await this.db('replica_accounts').count({ n: '*' }).first()) as { n: number };
    return Number(row.n);
  }

  async get(id: string): Promise<ReplicaAccount | null> {
    const row = (await this.db('replica_accounts').where({ id }).first()) as Row | undefined;
    return row ? toAccount(row) : null;
  }

  /** A page in `q`'s order, and the [sort value, id] of its last row when more follow. */
  async page(
    q: ReplicaPageQuery,
  ): Promise<{ rows: ReplicaAccount[]; next: [string | null, string] | null }> {
    const column = SORT_COLUMN[q.sort];
    const op = q.direction === 'asc' ? '>' : '<';
    const query = this.db('replica_accounts').select('*');
    if (q.search) this.where(query, q.search);
    if (q.after) {
      const [value, id] = q.after;
      // NULL sort values come first ascending (SQLite's order); the keyset follows that order.
      void query.where((w) => {
        if (value === null) {
          if (q.direction === 'asc')
            void w.whereNotNull(column).orWhere((s) => s.whereNull(column).andWhere('id', op, id));
          else void w.whereNull(column).andWhere('id', op, id);
        } else {
          void w
            .where(column, op, value)
            .orWhere((s) => s.where(column, value).andWhere('id', op, id));
          if (q.direction === 'desc') void w.orWhereNull(column);
        }
      });
    }
    const rows = (await query
      .orderBy([
        { column, order: q.direction },
        { column: 'id', order: q.direction },
      ])
      .limit(q.limit + 1)) as Row[];
    const page = rows.slice(0, q.limit);
    const last = page.at(-1);
    return {
      rows: page.map(toAccount),
      next:
        rows.length > q.limit && last ? [(last[column] as string | null) ?? null, last.id] : null,
    };
  }

  private where(query: Knex.QueryBuilder, search: { kind: SearchKind; text: string }): void {
    const text = search.text.trim();
    // Keys are stored in their search form (lower case): a prefix is a range of the index.
    // SQLite's LIKE ignores ASCII case, so it could not use the index.
    const starts = (q: Knex.QueryBuilder, column: string, prefix: string) =>
      q.where(column, '>=', prefix).andWhere(column, '<', `${prefix}\u{10FFFF}`);
    switch (search.kind) {
      case 'accountNumber':
        void starts(query, 'account_number', text.toUpperCase());
        return;
      case 'email':
        void starts(query, 'email_key', searchKey(text));
        return;
      case 'emailDomain':
        void query.whereRaw(`email_key like ? escape '\\'`, [
          `%@${likeText(searchKey(text.slice(1)))}%`,
        ]);
        return;
      case 'phone':
        void query.whereRaw(`phone_digits like ? escape '\\'`, [`%${phoneDigits(text)}%`]);
        return;
      case 'digits':
        void query.where((w) =>
          w
            .where((a) => starts(a, 'account_number', `C-${text}`))
            .orWhereRaw(`phone_digits like ? escape '\\'`, [`%${text}%`]),
        );
        return;
      case 'name': {
        const key = nameSearchKey(text);
        void query.where((w) =>
          w.where((a) => starts(a, 'name_key', key)).orWhere((b) => starts(b, 'first_key', key)),
        );
        return;
      }
    }
  }
}

/** The writes of one replica transaction. */
export class ReplicaWriter {
  constructor(private readonly trx: Knex.Transaction) {}

  async setMeta(values: Record<string, string>): Promise<void> {
    for (const [key, value] of Object.entries(values)) {
      await this.trx('replica_meta').insert({ key, value }).onConflict('key').merge(['value']);
    }
  }

  /** Inserts or replaces accounts as `access` shows them. */
  async upsert(accounts: readonly ReplicaAccount[], access: VisibleAccess): Promise<void> {
    for (let i = 0; i < accounts.length; i += CHUNK) {
      const rows = accounts.slice(i, i + CHUNK).map((a) => ({
        id: a.id,
        version: a.version,
        created_at: a.createdAt,
        updated_at: a.updatedAt,
        fields: JSON.stringify(a.fields),
        ...keysOf(a.fields, access),
      }));
      await this.trx('replica_accounts').insert(rows).onConflict('id').merge();
    }
  }

  /**
   * Shows an offline edit in the replica's copy of the account until the server's own record
   * replaces it at a later sync. Only fields `access` shows are written.
   */
  async applyLocally(id: string, changes: VisibleFields, access: VisibleAccess): Promise<void> {
    const row = (await this.trx('replica_accounts').where({ id }).first()) as Row | undefined;
    if (!row) return;
    const current = toAccount(row);
    const shown = Object.fromEntries(
      Object.entries(changes).filter(([key]) => access[key as keyof VisibleAccess] !== undefined),
    ) as VisibleFields;
    await this.upsert([{ ...current, fields: { ...current.fields, ...shown } }], access);
  }

  async remove(ids: readonly string[]): Promise<void> {
    for (let i = 0; i < ids.length; i += CHUNK) {
      await this.trx('replica_accounts')
        .whereIn('id', ids.slice(i, i + CHUNK))
        .del();
    }
  }

  /**
   * Forgets every account and what they were filled under: a refill under another role or
   * matrix starts from nothing. The staff member, the lease and the last contact stay.
   */
  async reset(): Promise<void> {
    await this.trx('replica_accounts').del();
    await this.trx('replica_meta')
      .whereIn('key', ['role', 'matrixRevision', 'access', 'cursor', 'filled'])
      .del();
  }
}
