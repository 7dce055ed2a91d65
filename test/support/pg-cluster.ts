/**
 * A throwaway PostgreSQL cluster for tests (recipes.md, "A throwaway PostgreSQL 15 cluster"):
 * initdb in a fresh temporary folder, a free port on 127.0.0.1, fsync off, stopped with
 * `-m fast` and deleted afterwards. Three layers make sure it never outlives the test run:
 * the normal `stop()`, a synchronous stop on process exit (vitest exits on Ctrl-C and SIGTERM),
 * and a detached watchdog that stops it and deletes the folder if this process dies outright.
 *
 * PostgreSQL refuses to run as root: as root every PostgreSQL binary runs as the `postgres`
 * system user through runuser; as any other user they run as that user.
 */
import { execFile, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

export interface PgClusterInfo {
  host: string;
  port: number;
  user: string;
  /** e.g. "15.14" */
  version: string;
}

export interface PgCluster extends PgClusterInfo {
  dir: string;
  /** Milliseconds initdb plus start took. */
  startMs: number;
  /** Stops the server (fast shutdown) and deletes its folder. Safe to call twice. */
  stop(): Promise<void>;
}

export type PgBinaries = { ok: true; bin: string } | { ok: false; reason: string };

const RUN_AS = 'postgres';
const isRoot = process.getuid?.() === 0;

/**
 * Where initdb, pg_ctl and postgres are: CUSTODIAN_PG_BIN if set, else PostgreSQL 15 in
 * Debian's layout, else the newest other version there.
 */
export function findPgBinaries(env: NodeJS.ProcessEnv = process.env): PgBinaries {
  const has = (dir: string) =>
    ['initdb', 'pg_ctl', 'postgres'].every((b) => fs.existsSync(path.join(dir, b)));
  if (env.CUSTODIAN_PG_BIN) {
    return has(env.CUSTODIAN_PG_BIN)
      ? { ok: true, bin: env.CUSTODIAN_PG_BIN }
      : {
          ok: false,
          reason: `CUSTODIAN_PG_BIN=${env.CUSTODIAN_PG_BIN} has no initdb, pg_ctl and postgres`,
        };
  }
  const root = '/usr/lib/postgresql';
  const preferred = path.join(root, '15', 'bin');
  if (has(preferred)) return { ok: true, bin: preferred };
  const others = fs.existsSync(root)
    ? fs
        .readdirSync(root)
        .filter((v) => /^\d+$/.test(v) && Number(v) >= 15 && has(path.join(root, v, 'bin')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (others[0]) return { ok: true, bin: path.join(root, others[0], 'bin') };
  return {
    ok: false,
    reason:
      `no PostgreSQL server binaries in ${preferred} (install postgresql-15, ` +
      'or point CUSTODIAN_PG_BIN at a folder with initdb, pg_ctl and postgres)',
  };
}

function asPgUser(bin: string, args: string[]): [string, string[]] {
  return isRoot ? ['runuser', ['-u', RUN_AS, '--', bin, ...args]] : [bin, args];
}

function run(bin: string, args: string[], timeoutMs = 60_000): Promise<string> {
  const [cmd, argv] = asPgUser(bin, args);
  return new Promise((resolve, reject) => {
    execFile(cmd, argv, { timeout: timeoutMs, cwd: '/' }, (err, stdout, stderr) => {
      if (err)
        reject(new Error(`${path.basename(bin)} failed: ${err.message}\n${stdout}${stderr}`));
      else resolve(stdout);
    });
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** The PostgreSQL user must be able to reach the folder: every parent needs o+x when root. */
function tempBase(): string {
  const candidates = [os.tmpdir(), '/tmp'];
  for (const base of candidates) {
    if (!isRoot) return base;
    let ok = true;
    for (let p = path.resolve(base); ; p = path.dirname(p)) {
      try {
        if ((fs.statSync(p).mode & 0o001) === 0) ok = false;
      } catch {
        ok = false;
      }
      if (!ok || p === path.dirname(p)) break;
    }
    if (ok) return base;
  }
  throw new Error(`no temporary folder the ${RUN_AS} user can reach (tried ${candidates})`);
}

function tail(file: string, lines = 30): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Last resort, synchronous (for process exit): immediate shutdown, then delete the folder. */
function stopNow(bin: string, dir: string): void {
  if (fs.existsSync(path.join(dir, 'data', 'postmaster.pid'))) {
    const [cmd, argv] = asPgUser(path.join(bin, 'pg_ctl'), [
      '-D',
      path.join(dir, 'data'),
      '-m',
      'immediate',
      '-w',
      '-t',
      '10',
      'stop',
    ]);
    spawnSync(cmd, argv, { stdio: 'ignore', timeout: 15_000, cwd: '/' });
  }
  fs.rmSync(dir, { recursive: true, force: true });
}

/**
 * A detached shell that waits for this process to end, however it ends, then stops the cluster
 * and deletes its folder. Killed by a normal stop().
 */
function startWatchdog(bin: string, dir: string): number | undefined {
  const script = `
    while kill -0 "$1" 2>/dev/null; do sleep 1; done
    if [ -f "$2/data/postmaster.pid" ]; then
      if [ "$4" = root ]; then runuser -u ${RUN_AS} -- "$3" -D "$2/data" -m immediate -w -t 10 stop
      else "$3" -D "$2/data" -m immediate -w -t 10 stop; fi
    fi
    rm -rf "$2"`;
  const child = spawn(
    'sh',
    [
      '-c',
      script,
      'custodian-pg-watchdog',
      String(process.pid),
      dir,
      path.join(bin, 'pg_ctl'),
      isRoot ? 'root' : 'user',
    ],
    { detached: true, stdio: 'ignore', cwd: '/' },
  );
  child.unref();
  return child.pid;
}

export async function startPgCluster(
  options: { bin?: string; log?: (line: string) => void } = {},
): Promise<PgCluster> {
  const started = performance.now();
  const found = options.bin ? { ok: true as const, bin: options.bin } : findPgBinaries();
  if (!found.ok) throw new Error(`PostgreSQL not available: ${found.reason}`);
  const bin = found.bin;

  const dir = fs.mkdtempSync(path.join(tempBase(), 'custodian-pg-'));
  fs.chmodSync(dir, 0o700);
  if (isRoot) {
    const uid = Number(spawnSync('id', ['-u', RUN_AS]).stdout.toString().trim());
    const gid = Number(spawnSync('id', ['-g', RUN_AS]).stdout.toString().trim());
    if (!Number.isInteger(uid) || uid <= 0) {
      fs.rmSync(dir, { recursive: true, force: true });
      throw new Error(`running as root, but there is no '${RUN_AS}' system user to run PostgreSQL`);
    }
    fs.chownSync(dir, uid, gid);
  }
  const data = path.join(dir, 'data');
  const serverLog = path.join(dir, 'server.log');
  const onExit = () => stopNow(bin, dir);
  process.once('exit', onExit);
  const watchdog = startWatchdog(bin, dir);

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    try {
      if (fs.existsSync(path.join(data, 'postmaster.pid'))) {
        await run(path.join(bin, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', '-t', '30', 'stop']);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      process.removeListener('exit', onExit);
      if (watchdog) {
        try {
          process.kill(-watchdog, 'SIGTERM');
        } catch {
          // already gone
        }
      }
    }
  };

  try {
    await run(path.join(bin, 'initdb'), [
      '-D',
      data,
      '-U',
      'postgres',
      '--auth=trust',
      '-E',
      'UTF8',
      '--no-locale',
      '--no-sync',
      '--no-instructions',
    ]);
    let port = 0;
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      const serverOptions = [
        '-c listen_addresses=127.0.0.1',
        `-p ${port}`,
        `-k ${dir}`,
        '-c fsync=off',
        '-c synchronous_commit=off',
        '-c full_page_writes=off',
        '-c max_connections=200',
      ].join(' ');
      try {
        await run(path.join(bin, 'pg_ctl'), [
          '-D',
          data,
          '-l',
          serverLog,
          '-w',
          '-t',
          '30',
          '-o',
          serverOptions,
          'start',
        ]);
        break;
      } catch (err) {
        // Another process may have taken the port between the probe and the start: try another.
        if (attempt < 3 && /could not (bind|create listen)/i.test(tail(serverLog))) continue;
        throw new Error(`${(err as Error).message}\n--- server.log ---\n${tail(serverLog)}`, {
          cause: err,
        });
      }
    }
    const client = new pg.Client({
      host: '127.0.0.1',
      port,
      user: 'postgres',
      database: 'postgres',
    });
    await client.connect();
    const { rows } = await client.query<{ v: string }>(
      `SELECT current_setting('server_version') AS v`,
    );
    await client.end();
    const version = rows[0]?.v ?? '?';
    return {
      host: '127.0.0.1',
      port,
      user: 'postgres',
      version,
      dir,
      startMs: Math.round(performance.now() - started),
      stop,
    };
  } catch (err) {
    await stop().catch(() => stopNow(bin, dir));
    throw err;
  }
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** The cluster test/support/pg-global-setup.ts started for the "pg" project. */
    pgCluster: (PgClusterInfo & { template: string }) | null;
  }
}

/** Runs `fn` on a connection to the cluster's own `postgres` database, then closes it. */
export async function onAdminDatabase<T>(
  cluster: PgClusterInfo,
  fn: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({
    host: cluster.host,
    port: cluster.port,
    user: cluster.user,
    database: 'postgres',
  });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
