/**
 * A batch of fake accounts as rows for the seed loader (main/db/stores/accounts/seed-load.ts):
 * each account's row and its provenance record.
 */
import { FIELDS } from '../../../shared/catalogue';
import type { IdSource } from '../../ids';
import { seedAccountRow, type PreparedBatch } from '../../db/stores/accounts/seed-load';
import type { AccountFaker } from './account-faker';
import { fakeAccount, type SeedAccount } from './fake-account';

/** Accounts generated between two turns of the event loop. */
const SLICE = 256;

/** The customer-supplied fields listed in a seeded account's provenance record. */
const SUPPLIED_FIELDS = FIELDS.filter((f: { system?: boolean }) => !f.system).map(
  (f) => f.key as keyof SeedAccount,
);

/**
 * Generates a batch in slices, giving way between slices: this runs while the database writes
 * the previous batch.
 */
export async function prepareBatch(
  af: AccountFaker,
  ids: IdSource,
  n: number,
): Promise<PreparedBatch> {
  const accountRows: unknown[][] = [];
  const provenanceRows: unknown[][] = [];
  while (accountRows.length < n) {
    const slice = Math.min(n - accountRows.length, SLICE);
    for (let i = 0; i < slice; i++) {
      const values = fakeAccount(af);
      const id = ids.next();
      accountRows.push(seedAccountRow(id, values));
      provenanceRows.push([
        ids.next(),
        id,
        values.provenanceSource,
        values.provenanceDate,
        suppliedFields(values),
      ]);
    }
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return { size: n, accountRows, provenanceRows };
}

/** The JSON list of the fields a seeded customer supplied, cached per combination. */
const suppliedJson = new Map<string, string>();
function suppliedFields(values: SeedAccount): string {
  let signature = '';
  for (const k of SUPPLIED_FIELDS) signature += values[k] === null ? '0' : '1';
  let json = suppliedJson.get(signature);
  if (json === undefined) {
    json = JSON.stringify(SUPPLIED_FIELDS.filter((k) => values[k] !== null));
    suppliedJson.set(signature, json);
  }
  return json;
}
