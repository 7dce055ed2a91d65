/**
 * A separate process that runs one export and, with CUSTODIAN_TEST_FAULT set, is killed at that
 * point of the writer as a power cut would kill it. Bundled by the crash test with esbuild.
 */
import { openBackend } from '../../main/backend';
import type { DatabaseConfig } from '../../main/db/connect';
import { silentLogger } from '../../main/log';

interface ChildConfig {
  database: DatabaseConfig;
  exportDir: string;
  keyDir: string;
  username: string;
  password: string;
  fileName: string;
}

async function main(): Promise<void> {
  const cfg = JSON.parse(process.env.CUSTODIAN_CHILD_CONFIG ?? '{}') as ChildConfig;
  const backend = await openBackend({
    database: cfg.database,
    exportDir: cfg.exportDir,
    keyDir: cfg.keyDir,
    logger: silentLogger,
  });
  const session = backend.openSession();
  await backend.invoke(session, 'auth.login', { username: cfg.username, password: cfg.password });
  const result = await backend.invoke(session, 'exports.accounts', {
    fields: ['lastName'],
    format: 'csv',
    fileName: cfg.fileName,
  });
  process.stdout.write(JSON.stringify(result));
  await backend.close();
}

void main();
