import type { Knex } from 'knex';
import { isSqlite } from '../connect';
import * as m0001 from './0001_initial';
import * as m0002 from './0002_staff_admin_and_visibility';
import * as m0003 from './0003_disclosures_and_access_log';
import * as m0004 from './0004_standing_and_collections';
import * as m0005 from './0005_import_batches';
import * as m0006 from './0006_access_log_index_queue';
import * as m0007 from './0007_access_matrix_revision';
import * as m0008 from './0008_search_covering_indexes';
import * as m0009 from './0009_email_index_with_name';
import * as m0010 from './0010_card_data_findings';
import * as m0013 from './0013_database_identity';
import * as m0011 from './0011_staff_role_grants';
import * as m0014 from './0014_key_events';
import * as m0014b from './0014_sealed_files';
import * as m0015 from './0015_server_sessions';
import * as m0016 from './0016_workstation_enrolments';
import * as m0017 from './0017_file_deliveries';
import * as m0018 from './0018_import_mappings';
import * as m0019 from './0019_sync_feed';
import * as m0020 from './0020_email_domain_search';
import * as m0021 from './0021_rate_counters';
import * as m0022 from './0022_made_offline_at';
import * as m0023 from './0023_import_mapping_dates';
import * as m0024 from './0024_server_secrets';
import * as m0025 from './0025_disclosure_accounts_by_record';
import * as m0026 from './0026_import_provenance_per_import';
import * as m0027 from './0027_account_keys';

/**
 * Migrations as numbered modules, listed here so that bundling keeps them (knex would otherwise
 * read a folder at run time). Forward-only; each runs in its own transaction.
 */
const MIGRATIONS: Record<string, Knex.Migration> = {
  '0001_initial': m0001,
  '0002_staff_admin_and_visibility': m0002,
  '0003_disclosures_and_access_log': m0003,
  '0004_standing_and_collections': m0004,
  '0005_import_batches': m0005,
  '0006_access_log_index_queue': m0006,
  '0007_access_matrix_revision': m0007,
  '0008_search_covering_indexes': m0008,
  '0009_email_index_with_name': m0009,
  '0010_card_data_findings': m0010,
  '0013_database_identity': m0013,
  '0011_staff_role_grants': m0011,
  '0014_key_events': m0014,
  '0014_sealed_files': m0014b,
  '0015_server_sessions': m0015,
  '0016_workstation_enrolments': m0016,
  '0017_file_deliveries': m0017,
  '0018_import_mappings': m0018,
  '0019_sync_feed': m0019,
  '0020_email_domain_search': m0020,
  '0021_rate_counters': m0021,
  '0022_made_offline_at': m0022,
  '0023_import_mapping_dates': m0023,
  '0024_server_secrets': m0024,
  '0025_disclosure_accounts_by_record': m0025,
  '0026_import_provenance_per_import': m0026,
  '0027_account_keys': m0027,
};

export const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: () => Promise.resolve(Object.keys(MIGRATIONS).sort()),
  getMigrationName: (name) => name,
  getMigration: (name) => {
    const migration = MIGRATIONS[name];
    if (!migration) throw new Error(`unknown migration ${name}`);
    return Promise.resolve(migration);
  },
};

export async function migrateToLatest(db: Knex): Promise<{ applied: string[] }> {
  const latest = async () => {
    const [, applied] = (await db.migrate.latest({ migrationSource })) as [number, string[]];
    return { applied };
  };
  if (isSqlite(db)) return latest();
  // knex's own lock does not wait: a second workstation starting at the same moment would fail
  // with "Migration table is already locked" (or race creating knex's tables). On PostgreSQL,
  // wait for a transaction-scoped advisory lock, held on one connection while knex migrates on
  // others; whoever comes second then finds nothing left to apply.
  return db.transaction(async (trx) => {
    await trx.raw(`SELECT pg_advisory_xact_lock(hashtext('custodian.migrations'))`);
    return latest();
  });
}

export async function pendingMigrations(db: Knex): Promise<string[]> {
  const [, pending] = (await db.migrate.list({ migrationSource })) as [
    unknown,
    { file?: string }[] | string[],
  ];
  return pending.map((p) => (typeof p === 'string' ? p : (p.file ?? String(p))));
}
