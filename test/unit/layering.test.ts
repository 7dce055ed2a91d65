import path from 'node:path';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * The layering lint of eslint.config.js, fed one import at a time as if written in a file of
 * each layer: every forbidden form (static, type-only, re-export, import(), require(), type-level
 * import()) must fail with its message, and the imports each layer lives on must pass.
 */
const ROOT = path.resolve(import.meta.dirname, '../..');
const LAYER_RULES = new Set(['@typescript-eslint/no-restricted-imports', 'no-restricted-syntax']);

const SQL = 'SQL lives in main/db/';
const NODE = 'Node built-ins (bare or node:) are for main/ only';
const ELECTRON = 'only main/electron/ imports electron';
const UI = 'React and the UI kit are for renderer/ only';
const COMPUTED = 'Give import() and require() a string literal';
const UNDECLARED = 'This file is in no declared layer';

const SHARED = 'shared/probe.ts';
const RENDERER = 'renderer/src/accounts/Probe.tsx';
const POLICY = 'main/policy/probe.ts';
const DB = 'main/db/probe.ts';
const MIGRATION = 'main/db/migrations/probe.ts';
const SERVICE = 'main/services/accounts/probe.ts';
const IPC = 'main/ipc/probe.ts';
const SHELL = 'main/shell/probe.ts';
const APP = 'main/app/probe.ts';
const BACKEND = 'main/backend.ts';
const CLI = 'main/cli/commands/probe.ts';
const SERVER = 'main/server/probe.ts';
const REMOTE = 'main/remote/probe.ts';
const KEYS = 'main/keys/probe.ts';
const WORKSTATION = 'main/workstation/probe.ts';
const REPLICA = 'main/replica/probe.ts';
const ELECTRON_MAIN = 'main/electron/main.ts';
const PRELOAD = 'main/electron/preload.ts';

const only = {
  shared: 'shared/ may import only from shared/.',
  renderer: 'renderer/ may import only from renderer/, shared/.',
  policy: 'main/policy/ may import only from main/policy/, shared/.',
  db: 'main/db/ may import only from',
  services: 'main/services/ may import only from',
  ipc: 'main/ipc/ may import only from',
  shell: 'main/shell/ may import only from',
  app: 'main/app/ may import only from',
  backend: 'main/backend.ts may import only from',
  cli: 'main/cli/ may import only from',
  server: 'main/server/ may import only from',
  remote: 'main/remote/ may import only from',
  replica: 'main/replica/ may import only from',
  keys: 'main/keys/ may import only from main/keys/, shared/',
  workstation: 'main/workstation/ may import only from',
  electron: 'main/electron/ may import only from',
  preload: 'main/electron/preload.ts may import only from shared/.',
};

/** [file, code, the message expected]: every row must fail with it. */
const forbidden: [string, string, string][] = [
  // shared/: only itself and zod.
  [SHARED, "import { knex } from 'knex';", SQL],
  [SHARED, "import type { Knex } from 'knex';", SQL],
  [SHARED, "export * from 'knex';", SQL],
  [SHARED, "import knex = require('knex');", SQL],
  [SHARED, "type K = import('knex').Knex;", SQL],
  [SHARED, "await import('pg');", SQL],
  [SHARED, "require('sqlite3');", SQL],
  [SHARED, "import path from 'path';", NODE],
  [SHARED, "import { readFile } from 'node:fs/promises';", NODE],
  [SHARED, "import { app } from 'electron';", ELECTRON],
  [SHARED, "import { useState } from 'react';", UI],
  [SHARED, "import { v4 } from 'uuid';", 'shared/ may use only these npm packages: zod.'],
  [SHARED, "import { open } from '../main/db/connect';", only.shared],
  [SHARED, "import type { Services } from '../main/backend';", only.shared],
  [SHARED, "import { api } from '../renderer/src/api';", only.shared],
  [SHARED, "export { open } from '../main/db/connect';", only.shared],
  [SHARED, "import connect = require('../main/db/connect');", only.shared],
  [SHARED, "await import('../main/db/connect');", only.shared],
  [SHARED, 'await import(`../main/${name}`);', COMPUTED],
  // renderer/: itself, shared/ and the UI kit; main only through window.custodian.
  [RENDERER, "import { knex } from 'knex';", SQL],
  [RENDERER, "await import('pg');", SQL],
  [RENDERER, "import path from 'path';", NODE],
  [RENDERER, "import { EventEmitter } from 'events';", NODE],
  [RENDERER, "import fs from 'node:fs';", NODE],
  [RENDERER, "require('fs');", NODE],
  [RENDERER, "import { ipcRenderer } from 'electron/renderer';", ELECTRON],
  [RENDERER, "import { ipcRenderer } from 'electron';", ELECTRON],
  [RENDERER, "import { v4 } from 'uuid';", 'renderer/ may use only these npm packages: react'],
  [RENDERER, "await import('../../../main/db/connect');", only.renderer],
  [RENDERER, "import type { Services } from '../../../main/backend';", only.renderer],
  [RENDERER, "type S = import('../../../main/backend').Services;", only.renderer],
  [RENDERER, "import { x } from '../../../shared/../main/db/connect';", "without an inner '..'"],
  [RENDERER, 'await import(`../../../main/${name}`);', COMPUTED],
  [RENDERER, "import.meta.glob('../../../main/**');", 'import.meta.glob hides imports'],
  // main/policy/: pure, only shared/.
  [POLICY, "import type { Knex } from 'knex';", SQL],
  [POLICY, "import { open } from '../db/connect';", only.policy],
  [POLICY, "import type { Db } from '../db/connect';", only.policy],
  [POLICY, "await import('../db/connect');", only.policy],
  [POLICY, "require('../db/connect');", only.policy],
  [POLICY, "import { login } from '../services/auth';", only.policy],
  [POLICY, "import { randomUUID } from 'node:crypto';", NODE],
  [POLICY, "import { z } from 'zod';", 'main/policy/ uses no npm package'],
  // main/db/: knows nothing above it.
  [DB, "import { login } from '../services/auth';", only.db],
  [DB, "await import('../services/auth');", only.db],
  [DB, "import { dispatch } from '../ipc/dispatch';", only.db],
  [DB, "import type { Services } from '../backend';", only.db],
  [DB, "import { wire } from '../app/wire';", only.db],
  [DB, "import { run } from '../cli/run';", only.db],
  [DB, "import { main } from '../electron/main';", only.db],
  [DB, "import { app } from 'electron';", ELECTRON],
  [DB, "import { useState } from 'react';", UI],
  [MIGRATION, "import { login } from '../../services/auth';", only.db],
  // main/services/: domain terms, no SQL engine.
  [SERVICE, "import { knex } from 'knex';", SQL],
  [SERVICE, "import type { Knex } from 'knex';", SQL],
  [SERVICE, "import { Pool } from 'pg';", SQL],
  [SERVICE, "await import('sqlite3');", SQL],
  [SERVICE, "import { dispatch } from '../../ipc/dispatch';", only.services],
  [SERVICE, "import type { Services } from '../../backend';", only.services],
  [SERVICE, "import { run } from '../../cli/run';", only.services],
  [SERVICE, "import { buildMenu } from '../../shell';", only.services],
  [SERVICE, "import { app } from 'electron';", ELECTRON],
  // Nor the engine layer under the stores: prepared statements, packed rows, the bulk writer.
  [SERVICE, "import type { HotStatements } from '../../db/engine/hot-statements';", only.services],
  [SERVICE, "import { BulkWriter } from '../../db/engine/bulk';", only.services],
  [SERVICE, "await import('../../db/engine/packed-rows');", only.services],
  [SERVICE, "import { durableTransaction } from '../../db/durable';", only.services],
  // No service is exempt from the SQL rule any more: the statements live in main/db.
  ['main/services/access-log.ts', "import type { Knex } from 'knex';", SQL],
  ['main/services/accounts/service.ts', "import knex from 'knex';", SQL],
  // main/ipc/: dispatch reaches services, never SQL or the stores.
  [IPC, "import type { Knex } from 'knex';", SQL],
  [IPC, "import { open } from '../db/connect';", only.ipc],
  [IPC, "import type { Db } from '../db/connect';", only.ipc],
  [IPC, "import type { Services } from '../backend';", only.ipc],
  // The backend/ipc cycle is gone: the handlers' view of the services is ipc's own type.
  ['main/ipc/dispatch.ts', "import type { Services } from '../backend';", only.ipc],
  ['main/ipc/types.ts', "import type { Services } from '../app/services';", only.ipc],
  [IPC, "import { main } from '../electron/main';", only.ipc],
  [IPC, "import { app } from 'electron';", ELECTRON],
  // main/shell/: pure functions main/electron/ calls.
  [SHELL, "import { BrowserWindow } from 'electron';", ELECTRON],
  [SHELL, "import { login } from '../services/auth';", only.shell],
  // Composition roots: the connection's type only, never the engine.
  [APP, "import { knex } from 'knex';", SQL],
  [APP, "await import('knex');", SQL],
  [APP, "import { run } from '../cli/run';", only.app],
  [APP, "import { main } from '../electron/main';", only.app],
  [BACKEND, "import { knex } from 'knex';", SQL],
  [BACKEND, "import { main } from './electron/main';", only.backend],
  [BACKEND, "import { run } from './cli/run';", only.backend],
  [CLI, "import { knex } from 'knex';", SQL],
  [CLI, "await import('knex');", SQL],
  [CLI, "import { dispatch } from '../../ipc/dispatch';", only.cli],
  [CLI, "import { app } from 'electron';", ELECTRON],
  // main/server/: the backend and services behind HTTPS, never SQL or the stores.
  [SERVER, "import { knex } from 'knex';", SQL],
  [SERVER, "import type { Knex } from 'knex';", SQL],
  [SERVER, "import { ServerSessionStore } from '../db/stores/server-sessions';", only.server],
  [SERVER, "import { run } from '../cli/run';", only.server],
  [SERVER, "import { app } from 'electron';", ELECTRON],
  [SERVER, "import { v7 } from 'uuid';", 'main/server/ may use only these npm packages'],
  // main/remote/: a team workstation holds no database and no service, only the wire.
  [REMOTE, "import { openBackend } from '../app/backend';", only.remote],
  [REMOTE, "import { AuthService } from '../services/auth';", only.remote],
  [REMOTE, "import { connect } from '../db/connect';", only.remote],
  [REMOTE, "import pg from 'pg';", SQL],
  // The workstation wires the backend or the team client; it never talks SQL or Electron itself.
  [WORKSTATION, "import { knex } from 'knex';", SQL],
  [WORKSTATION, "import { app } from 'electron';", ELECTRON],
  [WORKSTATION, "import { startTeamServer } from '../server/serve';", only.workstation],
  [WORKSTATION, "import { SessionRegistry } from '../shell';", only.workstation],
  [
    WORKSTATION,
    "import Fastify from 'fastify';",
    'main/workstation/ may use only these npm packages',
  ],
  [REMOTE, "import Fastify from 'fastify';", 'main/remote/ may use only these npm packages'],
  // main/replica/: the offline replica; its file and stores, never SQL, services or dispatch.
  [REPLICA, "import { knex } from 'knex';", SQL],
  [REPLICA, "import type { Knex } from 'knex';", SQL],
  [REPLICA, "import sqlcipher from '@journeyapps/sqlcipher';", SQL],
  [REPLICA, "import { AccountsStore } from '../db/stores/accounts/store';", only.replica],
  [REPLICA, "import { migrateToLatest } from '../db/migrations';", only.replica],
  [REPLICA, "import { AuthService } from '../services/auth';", only.replica],
  [REPLICA, "import { dispatch } from '../ipc/dispatch';", only.replica],
  [REPLICA, "import { TeamServerClient } from '../remote/client';", only.replica],
  [REPLICA, "import { projectFields } from '../policy/visibility';", only.replica],
  [REPLICA, "import { app } from 'electron';", ELECTRON],
  [REPLICA, "import { v7 } from 'uuid';", 'main/replica/ may use only these npm packages'],
  // main/keys/: the data key and its wraps; no database, services or electron.
  [KEYS, "import { knex } from 'knex';", SQL],
  [KEYS, "import sqlcipher from '@journeyapps/sqlcipher';", SQL],
  [KEYS, "import { connect } from '../db/connect';", only.keys],
  [KEYS, "import { login } from '../services/auth';", only.keys],
  [KEYS, "import { safeStorage } from 'electron';", ELECTRON],
  [KEYS, "import { v4 } from 'uuid';", 'main/keys/ may use only these npm packages: zod.'],
  [SERVICE, "import sqlcipher from '@journeyapps/sqlcipher';", SQL],
  [CLI, "await import('@journeyapps/sqlcipher');", SQL],
  // main/electron/: electron, but not the engine; the preload is sandboxed.
  [ELECTRON_MAIN, "import { knex } from 'knex';", SQL],
  [ELECTRON_MAIN, "import { open } from '../db/connect';", only.electron],
  [ELECTRON_MAIN, "import { api } from '../../renderer/src/api';", only.electron],
  [ELECTRON_MAIN, "import { useState } from 'react';", UI],
  [PRELOAD, "import fs from 'node:fs';", NODE],
  [PRELOAD, "import type { Services } from '../backend';", only.preload],
  [PRELOAD, "import { login } from '../services/auth';", only.preload],
  // A folder no layer claims is refused until one does.
  ['main/engine/probe.ts', 'export const x = 1;', UNDECLARED],
  ['main/probe.ts', 'export const x = 1;', UNDECLARED],
];

/** [file, code]: imports each layer lives on; every row must pass. */
const allowed: [string, string][] = [
  [SHARED, "import { z } from 'zod';"],
  [SHARED, "import type { Role } from './types';"],
  [RENDERER, "import { Button } from '@mantine/core';"],
  [RENDERER, "import { useDisclosure } from '@mantine/hooks';"],
  [RENDERER, "import { IconUser } from '@tabler/icons-react';"],
  [RENDERER, "import { useReactTable } from '@tanstack/react-table';"],
  [RENDERER, "import { useQuery } from '@tanstack/react-query';"],
  [RENDERER, "import { createRoot } from 'react-dom/client';"],
  [RENDERER, "import { LineChart } from 'recharts';"],
  [RENDERER, "import { useState } from 'react';"],
  [RENDERER, "import type { Channel } from '../../../shared/contract';"],
  [RENDERER, "import { api } from '../api';"],
  [RENDERER, "import { AccountForm } from './AccountForm';"],
  [RENDERER, "const { Wizard } = await import('../disclosures/Wizard');"],
  [POLICY, "import type { Role } from '../../shared/types';"],
  [POLICY, "import { mask } from './masks';"],
  [DB, "import { knex } from 'knex';"],
  [DB, "import { Pool } from 'pg';"],
  [DB, "import sqlite3 from 'sqlite3';"],
  [DB, "import fs from 'node:fs';"],
  [DB, "import path from 'path';"],
  [DB, "import { v4 } from 'uuid';"],
  [DB, "import { projectFields } from '../policy/visibility';"],
  [DB, "import { luhn } from '../../shared/rules';"],
  [DB, "import { open } from './connect';"],
  [MIGRATION, "import { open } from '../connect';"],
  [MIGRATION, "import type { Role } from '../../../shared/types';"],
  [SERVICE, "import { AccountsStore } from '../../db/stores/accounts/store';"],
  [SERVICE, "import { canSee } from '../../policy/visibility';"],
  [SERVICE, "import type { Account } from '../../../shared/types';"],
  [SERVICE, "import { columns } from './columns';"],
  [SERVICE, "import { login } from '../auth';"],
  [SERVICE, "import type { Logger } from '../../log';"],
  [SERVICE, "import { randomUUID } from 'node:crypto';"],
  [SERVICE, "import { v4 } from 'uuid';"],
  [IPC, "import { login } from '../services/auth';"],
  [IPC, "import { contract } from '../../shared/contract';"],
  [IPC, "import { handlers } from './handlers';"],
  [IPC, "import { z } from 'zod';"],
  [SHELL, "import { appDir } from '../paths';"],
  [APP, "import type { Knex } from 'knex';"],
  [APP, "import { dispatch } from '../ipc/dispatch';"],
  [APP, "import { open } from '../db/connect';"],
  [BACKEND, "import type { Knex } from 'knex';"],
  [BACKEND, "import { dispatch } from './ipc/dispatch';"],
  [CLI, "import type { Knex } from 'knex';"],
  [CLI, "const { seedAccounts } = await import('../../services/seed');"],
  [CLI, "import { migrate } from '../../db/migrations';"],
  [CLI, "import { fail } from '../errors';"],
  [SERVER, "import { openBackend } from '../app/backend';"],
  [SERVER, "import { ServerSessionService } from '../services/server-sessions';"],
  [SERVER, "import Fastify from 'fastify';"],
  [SERVER, "import rateLimit from '@fastify/rate-limit';"],
  [SERVER, "import forge from 'node-forge';"],
  [REMOTE, "import { Agent } from 'undici';"],
  [REMOTE, "import { invokeRequest } from '../../shared/team-wire';"],
  [REMOTE, "import tls from 'node:tls';"],
  [WORKSTATION, "import { TeamServerClient } from '../remote/client';"],
  [WORKSTATION, "import { openBackend } from '../app/backend';"],
  [WORKSTATION, "import { unlockDataKey } from '../keys/data-key';"],
  [CLI, "import { startTeamServer } from '../../server/serve';"],
  [REPLICA, "import { ReplicaStore } from '../db/stores/replica/store';"],
  [REPLICA, "import { connect } from '../db/connect';"],
  [REPLICA, "import type { Db } from '../db/handle';"],
  [REPLICA, "import fs from 'node:fs';"],
  [REPLICA, "import { z } from 'zod';"],
  [REPLICA, "import type { SyncPage } from '../../shared/channels/sync';"],
  [KEYS, "import { createCipheriv } from 'node:crypto';"],
  [KEYS, "import { z } from 'zod';"],
  [KEYS, "import { seal } from './wrap';"],
  [DB, "import sqlcipher from '@journeyapps/sqlcipher';"],
  [APP, "import { unlockDataKey } from '../keys/data-key';"],
  [CLI, "import { parseRecoveryKey } from '../../keys/wrap';"],
  [ELECTRON_MAIN, "import type { Keychain } from '../keys/data-key';"],
  [ELECTRON_MAIN, "import { app } from 'electron';"],
  [ELECTRON_MAIN, "import { createBackend } from '../backend';"],
  [ELECTRON_MAIN, "import { buildMenu } from '../shell';"],
  [PRELOAD, "import { contextBridge } from 'electron';"],
  [PRELOAD, "import type { Api } from '../../shared/api';"],
  ['main/version.ts', "import pkg from '../package.json';"],
];

let eslint: ESLint;
beforeAll(() => {
  eslint = new ESLint({ cwd: ROOT });
});

async function layerMessages(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${code}\n`, { filePath: path.join(ROOT, file) });
  return (result?.messages ?? [])
    .filter((message) => message.ruleId !== null && LAYER_RULES.has(message.ruleId))
    .map((message) => message.message);
}

describe('the layering lint', () => {
  it.each(forbidden)('%s refuses %s', async (file, code, expected) => {
    expect(await layerMessages(file, code)).toContainEqual(expect.stringContaining(expected));
  });

  it.each(allowed)('%s allows %s', async (file, code) => {
    expect(await layerMessages(file, code)).toEqual([]);
  });
});
