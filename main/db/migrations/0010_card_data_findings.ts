import type { Knex } from 'knex';
import { CARD_SCAN_TARGETS, createFindingsTable, scanForCardData } from '../card-data';

/**
 * Card numbers already in the database (issue 12 §1): before the card check read text as a
 * payment-data scanner does, a card pasted with its expiry date, grouped by dots or written in
 * full-width digits got in. This scans every free-text column staff can type into, a page at a
 * time, and records a finding (table, column, row, when; never the value or its digits) in
 * card_data_findings, for an administrator to redact. The disclosure log is scanned too,
 * although it cannot be redacted: its findings say where a card number is kept for good.
 */
export async function up(db: Knex): Promise<void> {
  await createFindingsTable(db);
  await scanForCardData(
    db,
    CARD_SCAN_TARGETS.filter((t) => t.since === '0010'),
  );
}

export async function down(): Promise<void> {
  throw new Error('Custodian migrations are forward-only.');
}
