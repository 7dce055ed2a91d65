/**
 * Moves a whole Custodian database from its SQLite file to a team's PostgreSQL server
 * (main/db/copy-database.ts), verifying the disclosure log's hash chain on both sides.
 */
import type { Db } from '../../db/handle';
import {
  copyDatabase,
  type MigrateDataOptions,
  type MigrateDataResult,
} from '../../db/copy-database';
import { verifyChain, type ChainReport } from '../audit/chain';

export { MigrateDataError, type MigrateDataOptions, type TableCopy } from '../../db/copy-database';

/**
 * Copies every table of `source` (SQLite) into `target` (PostgreSQL). Both must be open; the
 * target is migrated first. Refuses a target that already holds data.
 */
export function migrateData(
  source: Db,
  target: Db,
  options: MigrateDataOptions = {},
): Promise<MigrateDataResult<ChainReport>> {
  return copyDatabase(source, target, options, verifyChain);
}

export type { MigrateDataResult };
