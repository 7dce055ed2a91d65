/**
 * A separate process that restores a backup over a database (checkBackup, then swapInBackup).
 * With CUSTODIAN_TEST_FAULT set to one of the restore's crash points it is killed there (kill -9).
 * Reads { backup, database, keyHex } as JSON on stdin. Bundled by restore-crash.test.ts.
 */
import fs from 'node:fs';
import { checkBackup, swapInBackup } from '../../main/app/restore';

async function main(): Promise<void> {
  const cfg = JSON.parse(fs.readFileSync(0, 'utf8')) as {
    backup: string;
    database: string;
    keyHex: string;
  };
  const key = Buffer.from(cfg.keyHex, 'hex');
  const checked = await checkBackup(cfg.backup, cfg.database, key);
  await swapInBackup(checked, cfg.database, key, new Date());
  process.stdout.write('restored');
}

void main();
