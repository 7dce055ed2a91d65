/**
 * Writes of one account inside one transaction (AccountsStore.write): the row, its number from
 * the counter, its provenance with the field changes it made, and its entry in the change feed.
 */
import type { Knex } from 'knex';
import { v7 as uuidv7 } from 'uuid';
import type { FieldKey, ProvenanceSource } from '../../../../shared/catalogue';
import type { FieldValue } from '../../../../shared/types';
import { dbNow } from '../../connect';
import { appendToFeed } from '../sync-feed';
import { accountNumber, valuesToColumns, type AccountRecord } from './account-row';

type Values = Partial<Record<FieldKey, FieldValue>>;

/** One provenance record: who changed which fields of an account, from what source. */
export interface ProvenanceEntry {
  staffId: string;
  accountId: string;
  event: 'created' | 'updated';
  source: ProvenanceSource;
  date: string;
  changed: Values;
  before: Record<FieldKey, FieldValue> | null;
  /** When a change replayed from a workstation's outbox was made there (null: made online). */
  madeOfflineAt: string | null;
}

export class AccountWriter {
  constructor(private readonly trx: Knex.Transaction) {}

  async find(id: string): Promise<AccountRecord | undefined> {
    return this.trx<AccountRecord>('accounts').where({ id }).first();
  }

  /** The next account number. The counter row is updated inside the creating transaction, so two creations never share a number. */
  async nextAccountNumber(): Promise<string> {
    const rows = await this.trx('counters')
      .where({ name: 'account_number' })
      .increment('value', 1)
      .returning('value');
    return accountNumber(Number((rows as { value: number | string }[])[0]?.value));
  }

  /** Inserts a new account holding `values` (every field), at version 1. */
  async insert(
    id: string,
    number: string,
    values: Values,
    merged: Record<FieldKey, FieldValue>,
    staffId: string,
  ): Promise<void> {
    const now = dbNow(this.trx);
    await this.trx('accounts').insert({
      ...valuesToColumns(values, merged),
      id,
      account_number: number,
      created_at: now,
      updated_at: now,
      updated_by: staffId,
      version: 1,
    });
    await appendToFeed(this.trx, [id]);
  }

  /** Writes `diff` if the account is still at `version`; answers whether it was. */
  async updateAtVersion(
    id: string,
    version: number,
    diff: Values,
    merged: Record<FieldKey, FieldValue>,
    staffId: string,
  ): Promise<boolean> {
    const updated = await this.trx('accounts')
      .where({ id, version })
      .update({
        ...valuesToColumns(diff, merged),
        updated_at: dbNow(this.trx),
        updated_by: staffId,
        version: version + 1,
      });
    if (updated === 1) await appendToFeed(this.trx, [id]);
    return updated === 1;
  }

  async recordProvenance(entry: ProvenanceEntry): Promise<void> {
    const provenanceId = uuidv7();
    const keys = Object.keys(entry.changed) as FieldKey[];
    await this.trx('account_provenance').insert({
      id: provenanceId,
      account_id: entry.accountId,
      event: entry.event,
      source: entry.source,
      source_date: entry.date,
      fields: JSON.stringify(keys),
      staff_id: entry.staffId,
      recorded_at: dbNow(this.trx),
      made_offline_at: entry.madeOfflineAt,
    });
    if (keys.length === 0) return;
    await this.trx('account_changes').insert(
      keys.map((key) => ({
        id: uuidv7(),
        provenance_id: provenanceId,
        account_id: entry.accountId,
        field: key,
        old_value: entry.before ? stringOrNull(entry.before[key]) : null,
        new_value: stringOrNull(entry.changed[key] ?? null),
      })),
    );
  }
}

function stringOrNull(v: FieldValue): string | null {
  return v === null ? null : String(v);
}
