/**
 * A team server whose databases default to a language collation (en-US here, through ICU) must
 * search and sort accounts exactly as SQLite does, by code point: the search and sort keys are
 * COLLATE "C" columns. Under en-US, "ß" sorts as "ss" and "ø" next to "o", so the prefix search
 * for "weis" would also find "Weiß" and the keyset pages would come in another order.
 * PostgreSQL only.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openBackend, type Backend } from '../../main/backend';
import { silentLogger } from '../../main/log';
import type { Session } from '../../main/services/session';
import { createPgTestDatabase, describePgOnly, type PgTestDatabase } from '../support/backend';
import { STAFF_PASSWORD } from '../support/staff';

describePgOnly('accounts on a database whose default collation is en-US', () => {
  let database: PgTestDatabase | undefined;
  let backend: Backend | undefined;
  let support: Session;
  let noIcu = '';

  const call = async (channel: string, input: unknown) => {
    const r = await backend!.invoke(support, channel, input);
    if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
    return r.value as { rows: { fields: Record<string, unknown> }[]; nextCursor: string | null };
  };
  const lastNames = (page: { rows: { fields: Record<string, unknown> }[] }) =>
    page.rows.map((r) => r.fields.lastName);

  beforeAll(async () => {
    try {
      database = await createPgTestDatabase({ icuLocale: 'en-US' });
    } catch (err) {
      noIcu = (err as Error).message;
      return;
    }
    backend = await openBackend({ database: database.config, logger: silentLogger });
    await backend.services.auth.createStaff({
      username: 'sam',
      displayName: 'Sam',
      role: 'support_agent',
      password: STAFF_PASSWORD,
      mustChangePassword: false,
    });
    support = backend.openSession();
    await backend.invoke(support, 'auth.login', { username: 'sam', password: STAFF_PASSWORD });
    for (const lastName of ['Weiß', 'Pahl', 'Weiz', 'Øster', 'Weiss', 'Oster']) {
      await call('accounts.create', {
        fields: { firstName: 'Kim', lastName },
        provenance: { source: 'phone', date: '2026-11-20' },
      });
    }
  });
  afterAll(async () => {
    await backend?.close();
    await database?.drop();
  });

  it('the database really defaults to en-US', async (ctx) => {
    if (noIcu) ctx.skip(`PostgreSQL built without ICU: ${noIcu}`);
    const { rows } = await backend!.services.db.raw(
      `SELECT 'weiß' < 'weiz' AS en, 'weiß' < 'weiz' COLLATE "C" AS c`,
    );
    expect(rows[0]).toEqual({ en: true, c: false });
  });

  it('keeps the search and sort keys in code point order (COLLATE "C")', async (ctx) => {
    if (noIcu) ctx.skip(`PostgreSQL built without ICU: ${noIcu}`);
    const { rows } = await backend!.services.db.raw(
      `SELECT column_name, collation_name FROM information_schema.columns
       WHERE table_name = 'accounts' AND collation_name IS NOT NULL ORDER BY column_name`,
    );
    expect(rows).toEqual(
      [
        'account_number',
        'email_key',
        'first_key',
        'name_key',
        'phone_digits',
        'phone_digits_rev',
        'standing',
      ].map((column_name) => ({ column_name, collation_name: 'C' })),
    );
  });

  it('sorts names by code point, page by page, in both directions', async (ctx) => {
    if (noIcu) ctx.skip(`PostgreSQL built without ICU: ${noIcu}`);
    const expected = ['Oster', 'Pahl', 'Weiss', 'Weiz', 'Weiß', 'Øster'];
    for (const direction of ['asc', 'desc'] as const) {
      const seen: unknown[] = [];
      let cursor: string | null = null;
      do {
        const page = await call('accounts.list', {
          sort: 'name',
          direction,
          limit: 2,
          ...(cursor ? { cursor } : {}),
        });
        seen.push(...lastNames(page));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toEqual(direction === 'asc' ? expected : [...expected].reverse());
    }
  });

  it('prefix search matches code points, not what en-US thinks is equal', async (ctx) => {
    if (noIcu) ctx.skip(`PostgreSQL built without ICU: ${noIcu}`);
    expect(lastNames(await call('accounts.list', { search: 'weis' }))).toEqual(['Weiss']);
    expect(lastNames(await call('accounts.list', { search: 'weiß' }))).toEqual(['Weiß']);
    expect(lastNames(await call('accounts.list', { search: 'os' }))).toEqual(['Oster']);
  });
});
