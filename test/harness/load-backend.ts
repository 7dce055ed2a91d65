/**
 * Loads main/backend.ts for the e2e harness. Playwright runs the tests as native ES modules, where
 * a JSON import needs an import attribute; if the trusted code cannot be loaded directly, it is
 * bundled with esbuild (the same tool that builds dist/main) into a temporary module and loaded
 * from there. Either way the code under test is the real backend.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as BackendModule from '../../main/backend';
import type * as LogModule from '../../main/log';
import type * as WorkstationModule from '../../main/workstation/workstation';
import type * as TeamModule from '../support/local-team-server';

export interface BackendModules {
  openBackend: typeof BackendModule.openBackend;
  silentLogger: typeof LogModule.silentLogger;
  Workstation: typeof WorkstationModule.Workstation;
  startLocalTeamServer: typeof TeamModule.startLocalTeamServer;
}

const ROOT = path.resolve(import.meta.dirname, '../..');
let loaded: Promise<BackendModules> | undefined;

async function bundle(): Promise<BackendModules> {
  const { build } = await import('esbuild');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-e2e-backend-'));
  const outfile = path.join(dir, 'backend.mjs');
  await build({
    stdin: {
      contents:
        "export { openBackend } from './main/backend';\n" +
        "export { silentLogger } from './main/log';\n" +
        "export { Workstation } from './main/workstation/workstation';\n" +
        "export { startLocalTeamServer } from './test/support/local-team-server';\n",
      resolveDir: ROOT,
      sourcefile: 'e2e-backend-entry.ts',
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    outfile,
    // Dependencies load from node_modules (knex picks its dialect, sqlite3 its .node file).
    packages: 'external',
    logLevel: 'error',
  });
  // An ES module resolves bare imports from its own folder: give it the project's node_modules.
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  const mod = (await import(pathToFileURL(outfile).href)) as BackendModules;
  process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  return mod;
}

async function load(): Promise<BackendModules> {
  try {
    const [backend, log, workstation, team] = await Promise.all([
      import('../../main/backend'),
      import('../../main/log'),
      import('../../main/workstation/workstation'),
      import('../support/local-team-server'),
    ]);
    return {
      openBackend: backend.openBackend,
      silentLogger: log.silentLogger,
      Workstation: workstation.Workstation,
      startLocalTeamServer: team.startLocalTeamServer,
    };
  } catch {
    return bundle();
  }
}

export function loadBackend(): Promise<BackendModules> {
  loaded ??= load();
  return loaded;
}
