import type { Knex } from 'knex';
import { isSqlite } from '../connect';
import { emailDomainSql } from '../stores/accounts/account-row';

/**
 * Accounts get an integer key inside the database (issue 18); the UUIDv7 `id` stays their id
 * everywhere outside it (the console, the contract, the other tables, the sync feed).
 *
 * Every list and search index held the 36-character id, which broke ties and let a page continue
 * where the last one stopped. The key does that now, in 1 to 8 bytes: an import of 1,000,000
 * accounts took 5 s less (36 s to 31 s on the bench's machine) and its file 23 % less room.
 * Existing accounts are numbered in the order of their ids (their order of creation), so "newest
 * first" reads as it did.
 *
 * - SQLite: `key` is the table's INTEGER PRIMARY KEY, i.e. its rowid, so a row found in an index
 *   is one lookup away. Adding it takes SQLite's documented rebuild (a new table, the rows copied,
 *   the old one dropped, the new one renamed), with foreign key checks off for the swap and
 *   checked afterwards, hence no migration transaction of knex's: this one runs its own.
 * - PostgreSQL: a bigint identity column, unique, filled in the order of the ids.
 */
export const config = { transaction: false };

/** The list and search indexes, each with the key where it had the id. */
function keyedIndexes(db: Knex): { name: string; sql: string }[] {
  const domain = emailDomainSql(isSqlite(db), '"email_key"');
  const plain: [string, string[]][] = [
    ['accounts_name_key', ['name_key', 'key']],
    ['accounts_first_key', ['first_key', 'key', 'name_key']],
    ['accounts_email_key', ['email_key', 'key', 'name_key']],
    ['accounts_phone_digits', ['phone_digits', 'key']],
    ['accounts_phone_digits_rev', ['phone_digits_rev', 'key', 'phone_digits']],
    ['accounts_balance', ['balance_cents', 'key']],
    ['accounts_standing', ['standing', 'key']],
  ];
  return [
    ...plain.map(([name, columns]) => ({
      name,
      sql: `CREATE INDEX ${name} ON accounts (${columns.map((c) => `"${c}"`).join(', ')})`,
    })),
    {
      name: 'accounts_email_domain',
      sql: `CREATE INDEX accounts_email_domain ON accounts ((${domain}), "key", "name_key")`,
    },
  ];
}

export async function up(db: Knex): Promise<void> {
  if (isSqlite(db)) await rebuildSqlite(db);
  else await db.transaction((trx) => addPgKey(trx));
}

/** The accounts table as migrations 0001–0026 made it, with the key in front and id unique. */
function withKey(createSql: string): string {
  const edits: [RegExp, string][] = [
    [
      /^CREATE TABLE [`"]?accounts[`"]? \(/i,
      'CREATE TABLE "accounts_keyed" ("key" integer primary key, ',
    ],
    [/[`"]id[`"] char\(36\),/, '"id" char(36) not null,'],
    [/primary key \([`"]id[`"]\)/i, 'unique ("id")'],
  ];
  let sql = createSql;
  for (const [from, to] of edits) {
    if (!from.test(sql))
      throw new Error(`accounts is not as the migrations made it (${from.source})`);
    sql = sql.replace(from, to);
  }
  return sql;
}

async function rebuildSqlite(db: Knex): Promise<void> {
  // Foreign keys are switched off for the swap (dropping accounts would otherwise delete, or be
  // refused for, every row that names an account); PRAGMA foreign_keys is ignored inside a
  // transaction, hence before it. The pool holds one connection, so all of this runs on it.
  await db.raw('PRAGMA foreign_keys = OFF');
  try {
    await db.transaction(async (trx) => {
      const keyed = keyedIndexes(trx);
      const table = (await trx('sqlite_master')
        .where({ type: 'table', name: 'accounts' })
        .first('sql')) as { sql: string };
      const triggers = (await trx('sqlite_master')
        .where({ type: 'trigger', tbl_name: 'accounts' })
        .pluck('sql')) as string[];
      const kept = (await trx('sqlite_master')
        .where({ type: 'index', tbl_name: 'accounts' })
        .whereNotNull('sql')
        .whereNotIn(
          'name',
          keyed.map((i) => i.name),
        )
        .pluck('sql')) as string[];
      await trx.raw(withKey(table.sql));
      const columns = ((await trx.raw('PRAGMA table_info(accounts)')) as { name: string }[]).map(
        (c) => `"${c.name}"`,
      );
      // Numbered 1, 2, ... in the order of the ids: the key is left to SQLite.
      await trx.raw(
        `INSERT INTO accounts_keyed (${columns.join(', ')}) SELECT ${columns.join(', ')} FROM accounts ORDER BY id`,
      );
      await trx.raw('DROP TABLE accounts');
      await trx.raw('ALTER TABLE accounts_keyed RENAME TO accounts');
      for (const sql of [...kept, ...keyed.map((i) => i.sql), ...triggers]) {
        await trx.raw(sql);
      }
      const broken = (await trx.raw('PRAGMA foreign_key_check')) as unknown[];
      if (broken.length > 0) throw new Error('the accounts rebuild broke a foreign key');
    });
  } finally {
    await db.raw('PRAGMA foreign_keys = ON');
  }
}

async function addPgKey(trx: Knex.Transaction): Promise<void> {
  const keyed = keyedIndexes(trx);
  // The old indexes go first: the numbering below rewrites every row, and would update them.
  for (const { name } of keyed) await trx.raw(`DROP INDEX IF EXISTS ${name}`);
  await trx.raw('ALTER TABLE accounts ADD COLUMN "key" bigint');
  await trx.raw(
    `UPDATE accounts a SET "key" = n.k
     FROM (SELECT id, row_number() OVER (ORDER BY id) AS k FROM accounts) n WHERE a.id = n.id`,
  );
  await trx.raw('ALTER TABLE accounts ALTER COLUMN "key" SET NOT NULL');
  await trx.raw('ALTER TABLE accounts ALTER COLUMN "key" ADD GENERATED BY DEFAULT AS IDENTITY');
  await trx.raw(
    `SELECT setval(pg_get_serial_sequence('accounts', 'key'), coalesce(max("key"), 0) + 1, false) FROM accounts`,
  );
  await trx.raw('ALTER TABLE accounts ADD CONSTRAINT accounts_key_unique UNIQUE ("key")');
  for (const { sql } of keyed) await trx.raw(sql);
  await trx.raw('ANALYZE accounts');
}

export async function down(): Promise<void> {
  throw new Error('Custodian migrations are forward-only.');
}
