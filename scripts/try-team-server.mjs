// Bundles test/support/try-team-server.ts with esbuild and runs it: a local team server on a
// throwaway PostgreSQL cluster, for trying team mode (npm run team-server:try).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { build } from 'esbuild';

const outfile = path.resolve('dist/try-team-server.cjs');
await build({
  entryPoints: ['test/support/try-team-server.ts'],
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  packages: 'external',
  outfile,
  logLevel: 'error',
});
const run = spawnSync(process.execPath, [outfile], { stdio: 'inherit' });
process.exitCode = run.status ?? 1;
