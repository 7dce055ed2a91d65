// @ts-check
import js from '@eslint/js';
import globals from 'globals';
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';
import { layerConfigs } from './scripts/eslint-layers.mjs';

/** @typedef {import('./scripts/eslint-layers.mjs').Layer} Layer */

/**
 * Import direction is the architecture (DESIGN.md section 7). As Signal tags each file with its
 * environment and VS Code's layer checker lists what each layer may use, every layer below says
 * which project folders (`may`) and which npm packages it may import; static, type-only,
 * re-exported, dynamic `import()` and `require()` alike. test/unit/layering.test.ts feeds the
 * rules each forbidden import and expects the error.
 *
 * Restricted package families: a layer imports one only when it lists it in `packages`
 * (`typesOnly`: its types only). Any other npm package is open to a layer whose `npm` is true,
 * and to the others only by name.
 */
/** @type {Record<string, import('./scripts/eslint-layers.mjs').Group>} */
const groups = {
  node: {
    names: [...builtinModules, 'node:*'],
    reason: 'Node built-ins (bare or node:) are for main/ only',
  },
  sql: {
    names: [
      'knex',
      'pg',
      'pg-*',
      'sqlite3',
      '@journeyapps/sqlcipher',
      'better-sqlite3',
      'mysql',
      'mysql2',
    ],
    reason: 'SQL lives in main/db/, the only importer of knex, pg and sqlite3',
  },
  electron: { names: ['electron', '@electron/*'], reason: 'only main/electron/ imports electron' },
  ui: {
    names: ['react', 'react-*', '@mantine/*', '@tabler/*', '@tanstack/*', 'recharts'],
    reason: 'React and the UI kit are for renderer/ only',
  },
};

/** main/'s leaf utilities, open to every main layer. */
const UTIL = [
  'main/fsync.ts',
  'main/ids.ts',
  'main/log.ts',
  'main/paths.ts',
  'main/settled.ts',
  'main/version.ts',
];
/** What of main/db the services see: the stores, the opaque handle, connecting and copying. */
const DB_FACADE = [
  'main/db/stores',
  'main/db/handle.ts',
  'main/db/connect.ts',
  'main/db/copy-database.ts',
  'main/db/database-url.ts',
  'main/db/probe.ts',
];
/** The main-process layers a composition root wires together. */
const PARTS = [
  'main/services',
  'main/db',
  'main/ipc',
  'main/policy',
  'main/keys',
  'shared',
  ...UTIL,
];

/** @type {Layer[]} */
const layers = [
  // Pure types and the zod contract, shared by both processes.
  { name: 'shared', root: 'shared', may: ['shared'], packages: [], npm: ['zod'] },
  // The sandboxed page: talks to main only through window.custodian.
  {
    name: 'renderer',
    root: 'renderer',
    may: ['renderer', 'shared'],
    packages: ['ui'],
    npm: [],
  },
  // Pure rules over shared/ types: no I/O, no engine.
  {
    name: 'main/policy',
    root: 'main/policy',
    may: ['main/policy', 'shared'],
    packages: [],
    npm: [],
  },
  // Every statement, the engine and its performance devices; knows nothing above it.
  {
    name: 'main/db',
    root: 'main/db',
    may: ['main/db', 'main/policy', 'shared', ...UTIL],
    packages: ['node', 'sql'],
    npm: true,
  },
  // The domain, in domain terms: reads and writes through main/db's stores, never SQL, and never
  // the engine layer (main/db/engine: prepared statements, packed rows, the bulk writer).
  {
    name: 'main/services',
    root: 'main/services',
    may: ['main/services', ...DB_FACADE, 'main/policy', 'shared', ...UTIL],
    packages: ['node'],
    npm: true,
  },
  // Dispatch and handlers: calls services; never reaches SQL or the stores.
  {
    name: 'main/ipc',
    root: 'main/ipc',
    may: ['main/ipc', 'main/services', 'main/policy', 'shared', ...UTIL],
    packages: ['node'],
    npm: true,
  },
  // The database's data key and its wraps (keychain, recovery key, passphrase): node:crypto and
  // the key file; no database, no services, no electron (the keychain is injected).
  {
    name: 'main/keys',
    root: 'main/keys',
    may: ['main/keys', 'shared', ...UTIL],
    packages: ['node'],
    npm: ['zod'],
  },
  // The Electron shell's logic as pure functions: main/electron/ calls them.
  {
    name: 'main/shell',
    root: 'main/shell',
    may: ['main/shell', 'shared', ...UTIL],
    packages: ['node'],
    npm: true,
  },
  // Composition roots: wire the layers. They hold the connection, so may name its Knex type.
  {
    name: 'main/app',
    root: 'main/app',
    may: ['main/app', ...PARTS],
    packages: ['node'],
    typesOnly: ['sql'],
    npm: true,
  },
  {
    name: 'main/backend.ts',
    label: 'main/backend.ts',
    root: 'main',
    files: ['main/backend.ts'],
    // A facade over main/app, so that the CLI, Electron and tests keep one import.
    may: ['main/app', ...PARTS],
    packages: ['node'],
    typesOnly: ['sql'],
    npm: true,
  },
  // The CLI is a composition root like the app: it opens the database and calls services
  // (and main/db for migrate and migrate-data), but not dispatch, the shell or electron.
  {
    name: 'main/cli',
    root: 'main/cli',
    may: ['main/cli', 'main/app', 'main/server', ...PARTS.filter((part) => part !== 'main/ipc')],
    packages: ['node'],
    typesOnly: ['sql'],
    npm: true,
  },
  // The team server (`custodian serve`): a composition root like main/app, with the HTTPS front
  // door; reaches the database only through the backend and services, never through SQL.
  {
    name: 'main/server',
    root: 'main/server',
    may: ['main/server', 'main/app', 'main/services', 'main/ipc', 'shared', ...UTIL],
    packages: ['node'],
    npm: ['fastify', '@fastify/rate-limit', 'node-forge', 'zod'],
  },
  // The workstation's client of the team server: the wire contract and HTTPS, nothing of the
  // backend (a workstation in team mode holds no database and no service).
  {
    name: 'main/remote',
    root: 'main/remote',
    may: ['main/remote', 'shared', 'main/fsync.ts'],
    packages: ['node'],
    npm: ['undici', 'node-forge', 'zod'],
  },
  // The workstation: which backend answers (the embedded database or the team server) and the
  // way there at start (the database key, enrolment). A composition root over both.
  {
    name: 'main/workstation',
    root: 'main/workstation',
    may: ['main/workstation', 'main/app', 'main/remote', 'main/replica', ...PARTS],
    packages: ['node'],
    npm: ['zod'],
  },
  // The workstation's offline replica (issue 16): its encrypted file through main/db's connect and
  // the replica stores, filled from the change feed through a server port the caller wires up.
  // No services, no dispatch, no knex of its own, no server client (it is handed one).
  {
    name: 'main/replica',
    root: 'main/replica',
    may: [
      'main/replica',
      'main/db/stores/replica',
      'main/db/connect.ts',
      'main/db/handle.ts',
      'shared',
    ],
    packages: ['node'],
    npm: ['zod'],
  },
  // The Electron entry: the only importer of electron; the transport to dispatch.
  {
    name: 'main/electron',
    root: 'main/electron',
    may: [
      'main/electron',
      'main/workstation',
      'main/app',
      'main/backend.ts',
      'main/keys',
      'main/services',
      'main/ipc',
      'main/shell',
      'shared',
      ...UTIL,
    ],
    packages: ['node', 'electron'],
    npm: true,
  },
  // The preload runs sandboxed: electron's renderer half and the shared contract, nothing else.
  {
    name: 'main/electron/preload.ts',
    label: 'main/electron/preload.ts',
    root: 'main/electron',
    files: ['main/electron/preload.ts'],
    may: ['shared'],
    packages: ['electron'],
    npm: [],
  },
  {
    name: 'main utilities',
    label:
      'main/fsync.ts, main/ids.ts, main/log.ts, main/paths.ts, main/settled.ts and main/version.ts',
    root: 'main',
    files: UTIL,
    may: [...UTIL, 'shared', 'package.json'],
    packages: ['node'],
    npm: true,
  },
];

/**
 * Files that may break one rule of their layer, each entry for the files it lists only. Empty:
 * issue 13 moved the last statements out of main/services and the backend/ipc cycle is gone.
 */
/** @type {import('./scripts/eslint-layers.mjs').Exemption[]} */
const exemptions = [];

export default tseslint.config(
  {
    ignores: ['dist/**', 'release/**', 'node_modules/**', 'test/artifacts/**', 'coverage/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': 'off',
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
  },
  ...layerConfigs({ roots: ['shared', 'renderer', 'main'], groups, layers, exemptions }),
);
