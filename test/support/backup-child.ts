/**
 * A separate process that backs up a database (createBackup) and is killed (kill -9) at the
 * backup's crash point named by CUSTODIAN_TEST_FAULT. Reads { database, keyHex, to } as JSON on
 * stdin. Bundled by test/integration/restore-crash.test.ts.
 */
import fs from 'node:fs';
import { createBackup } from '../../main/app/backup';
import { connect } from '../../main/db/connect';

async function main(): Promise<void> {
  const cfg = JSON.parse(fs.readFileSync(0, 'utf8')) as {
    database: string;
    keyHex: string;
    to: string;
  };
  const key = Buffer.from(cfg.keyHex, 'hex');
  const db = connect({ client: 'sqlite', filename: cfg.database, key });
  try {
    await createBackup(db, {
      databaseFile: cfg.database,
      key,
      to: cfg.to,
      appVersion: 'test',
      now: new Date(),
      by: { actorId: null, via: 'command line' },
    });
  } finally {
    await db.destroy();
  }
}

void main();
