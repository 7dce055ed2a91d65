// Builds the trusted process (Electron main, preload, CLI) with esbuild. The renderer is Vite's.
//   node scripts/build-main.mjs [--quiet] [--outdir DIR] [--metafile]
// --metafile also writes DIR/<bundle>.meta.json (esbuild's record of every input and import),
// which test/unit/main-bundles.test.ts reads.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

const { values: args } = parseArgs({
  options: {
    quiet: { type: 'boolean', default: false },
    outdir: { type: 'string', default: 'dist/main' },
    metafile: { type: 'boolean', default: false },
  },
});

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: args.quiet ? 'error' : 'info',
  outdir: args.outdir,
  outExtension: { '.js': '.cjs' },
  metafile: args.metafile,
};

/**
 * The seeder's fake-data library is a devDependency, so the packaged app does not carry it: the
 * app's bundle must never import it (only the CLI's seed command loads it, lazily).
 */
const noDevOnlyPackages = {
  name: 'no-dev-only-packages',
  setup(build) {
    build.onResolve({ filter: /^@faker-js\/faker(\/|$)/ }, (resolve) => ({
      errors: [
        {
          text: `${resolve.path} is a development dependency (the seeder's) and cannot ship in the app; imported by ${resolve.importer}`,
        },
      ],
    }));
  },
};

const bundles = {
  // Dependencies stay in node_modules (knex loads its dialect and sqlite3 its .node file).
  electron: {
    entryPoints: { electron: 'main/electron/main.ts' },
    packages: 'external',
    plugins: [noDevOnlyPackages],
  },
  // The seed command loads @faker-js/faker from node_modules when it runs (a checkout's
  // devDependencies); anywhere else the command says it is a development tool.
  cli: {
    entryPoints: { cli: 'main/cli/index.ts' },
    packages: 'external',
    banner: { js: '#!/usr/bin/env node' },
  },
  // A sandboxed preload can require only 'electron': everything else is bundled in.
  preload: {
    entryPoints: { preload: 'main/electron/preload.ts' },
    external: ['electron'],
  },
};

await Promise.all(
  Object.entries(bundles).map(async ([name, options]) => {
    const result = await build({ ...common, ...options });
    if (result.metafile) {
      fs.writeFileSync(
        path.join(args.outdir, `${name}.meta.json`),
        JSON.stringify(result.metafile),
      );
    }
  }),
);
