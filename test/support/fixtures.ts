import { FIELDS, type FieldKey } from '../../shared/catalogue';
import type { AccessMap } from '../../shared/visibility';
import type { FieldValue } from '../../shared/types';
import type { Knex } from 'knex';
import { AccountsStore } from '../../main/db/stores/accounts/store';
import { AccountsService } from '../../main/services/accounts/service';
import { VisibilityService, type AccessSource } from '../../main/services/visibility';
import type { TestBackend } from './backend';

export const ALL_EDIT = Object.fromEntries(FIELDS.map((f) => [f.key, 'edit'])) as AccessMap;

/** An access matrix that gives `access` to every role, whatever the database says. */
export function fixedAccess(db: Knex, access: AccessMap): AccessSource {
  const real = new VisibilityService(db);
  return {
    accessFor: () => Promise.resolve({ ...access }),
    cachedAccess: async () => ({ access, revision: await real.revision() }),
    invalidate: () => undefined,
    revisionColumn: (d) => real.revisionColumn(d),
    revision: () => real.revision(),
  };
}

/**
 * Writes accounts as test fixtures with every field settable (standing, fraud flag, ...), through
 * the real accounts service so search keys, provenance and history are as in use.
 */
export function fixtureWriter(t: TestBackend, staffId: string) {
  const db = t.backend.services.db;
  const service = new AccountsService(new AccountsStore(db), fixedAccess(db, ALL_EDIT));
  const actor = { staffId, role: 'administrator' as const };
  return {
    async create(
      fields: Partial<Record<FieldKey, FieldValue>>,
    ): Promise<{ id: string; accountNumber: string }> {
      const d = await service.create(
        actor,
        { firstName: 'Fix', lastName: 'Ture', ...fields },
        { source: 'phone', date: '2025-01-02' },
      );
      return { id: d.id, accountNumber: String(d.fields.accountNumber) };
    },
    async set(id: string, fields: Partial<Record<FieldKey, FieldValue>>): Promise<void> {
      const d = await service.get(actor, id);
      await service.update(actor, id, d.version, fields, { source: 'phone', date: '2025-01-02' });
    },
  };
}

/**
 * A finished import's row of one account, written directly (no file, no staff member): for tests
 * that need an account to name an import.
 */
export async function insertFinishedImport(
  db: Knex,
  spec: { id: string; fileName: string; at: string },
): Promise<void> {
  await db('imports').insert({
    id: spec.id,
    file_name: spec.fileName,
    sha256: 'a'.repeat(64),
    rows_total: 1,
    rows_imported: 1,
    rows_rejected: 0,
    staff_id: null,
    started_at: spec.at,
    finished_at: spec.at,
  });
}
