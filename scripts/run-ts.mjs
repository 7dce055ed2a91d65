// Bundles one TypeScript entry with esbuild (packages stay in node_modules) and runs it with the
// arguments after it: `node scripts/run-ts.mjs test/load/load.ts --seconds 10`.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { build } from 'esbuild';

const [entry, ...args] = process.argv.slice(2);
if (!entry) throw new Error('usage: node scripts/run-ts.mjs ENTRY.ts [args...]');
const outfile = path.resolve('dist', `${path.basename(entry, '.ts')}.cjs`);
await build({
  entryPoints: [entry],
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  packages: 'external',
  outfile,
  logLevel: 'error',
});
const run = spawnSync(process.execPath, [outfile, ...args], { stdio: 'inherit' });
process.exitCode = run.status ?? 1;
