import { FIELDS, type FieldKey } from '../../shared/catalogue';
import type { AccessMap } from '../../shared/visibility';
import type { FieldValue } from '../../shared/types';
import { AccountsService } from '../../main/services/accounts/service';
import type { TestBackend } from './backend';

const ALL_EDIT = Object.fromEntries(FIELDS.map((f) => [f.key, 'edit'])) as AccessMap;

/**
 * Writes accounts as test fixtures with every field settable (standing, fraud flag, ...), through
 * the real accounts service so search keys, provenance and history are as in use.
 */
export function fixtureWriter(t: TestBackend, staffId: string) {
  const service = new AccountsService(t.backend.services.db, () => Promise.resolve(ALL_EDIT));
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
