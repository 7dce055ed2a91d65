// `npm run bench [-- --quick]`: bundles the benchmark (test/bench/*.ts) with esbuild, as the
// crash tests bundle their child, and runs it with node. Data it creates (seeded databases,
// import files) is cached in test/bench/.data/, which git ignores; the bundle goes to
// node_modules/.cache/.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
// Inside the project, so that the bundle's external packages resolve from node_modules.
const outfile = path.join(root, 'node_modules', '.cache', 'custodian-bench', 'bench.cjs');
await build({
  entryPoints: [path.join(here, 'main.ts')],
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  packages: 'external',
  sourcemap: 'inline',
  outfile,
  logLevel: 'error',
});
const result = spawnSync(
  process.execPath,
  ['--enable-source-maps', '--max-old-space-size=8192', outfile, ...process.argv.slice(2)],
  { stdio: 'inherit', cwd: root },
);
process.exit(result.status ?? 1);
