// Builds the trusted process (Electron main, preload, CLI) with esbuild. The renderer is Vite's.
import { build } from 'esbuild';

const quiet = process.argv.includes('--quiet');
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: quiet ? 'error' : 'info',
};

await Promise.all([
  // Dependencies stay in node_modules (knex loads its dialect and sqlite3 its .node file).
  build({
    ...common,
    entryPoints: { electron: 'main/electron/main.ts' },
    outdir: 'dist/main',
    outExtension: { '.js': '.cjs' },
    packages: 'external',
  }),
  build({
    ...common,
    entryPoints: { cli: 'main/cli/index.ts' },
    outdir: 'dist/main',
    outExtension: { '.js': '.cjs' },
    packages: 'external',
    banner: { js: '#!/usr/bin/env node' },
  }),
  // A sandboxed preload can require only 'electron': everything else is bundled in.
  build({
    ...common,
    entryPoints: { preload: 'main/electron/preload.ts' },
    outdir: 'dist/main',
    outExtension: { '.js': '.cjs' },
    external: ['electron'],
  }),
]);
