/**
 * A separate process that opens an embedded database's key (databaseKey), which finishes or
 * starts the upgrade of a plaintext file to SQLCipher. With CUSTODIAN_TEST_FAULT set to one of
 * the upgrade's crash points it is killed there (kill -9). The recovery key comes on stdin.
 * Bundled by test/integration/encrypt-upgrade.test.ts with esbuild.
 */
import fs from 'node:fs';
import { databaseKey } from '../../main/app/database-key';

async function main(): Promise<void> {
  const [file] = process.argv.slice(2);
  const recovery = fs.readFileSync(0, 'utf8').trim();
  if (!file) throw new Error('usage: upgrade-child FILE < recovery-key');
  await databaseKey(file, {
    create: false,
    unlock: () => Promise.resolve({ kind: 'recovery', text: recovery }),
  });
  process.stdout.write('upgraded');
}

void main();
