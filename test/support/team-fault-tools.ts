/**
 * Tools of the team fault tests (test/integration/team-faults.test.ts): a TCP proxy that cuts
 * connections mid-stream, and a team server in a process of its own that a test kills with
 * SIGKILL and starts again on the same port (test/support/team-server-child.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import type { Knex } from 'knex';
import { expect } from 'vitest';
import type { DatabaseConfig } from '../../main/db/connect';
import { TeamServerClient, type RemoteOptions, type RemoteSession } from '../../main/remote/client';
import type { Result } from '../../shared/errors';
import { TEST_CLIENT, testServerIdentity } from './team-server';
import type { Creds } from './team-workstation';

/**
 * A TCP proxy in front of a server that, while armed, cuts a connection once it has carried
 * `cutAfter` bytes towards the client, `cuts` times; `made` counts the cuts made.
 */
export async function cuttingProxy(target: number) {
  const state = { cutAfter: 0, cuts: 0, made: 0 };
  const proxy = net.createServer((down) => {
    const up = net.connect(target, '127.0.0.1');
    let carried = 0;
    const cut = () => {
      down.destroy();
      up.destroy();
    };
    down.on('error', cut);
    up.on('error', cut);
    down.on('close', () => up.destroy());
    up.on('close', () => down.destroy());
    down.pipe(up);
    up.on('data', (chunk: Buffer) => {
      carried += chunk.length;
      if (state.cuts > 0 && state.cutAfter > 0 && carried > state.cutAfter) {
        state.cuts--;
        state.made++;
        cut();
        return;
      }
      down.write(chunk);
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const port = (proxy.address() as net.AddressInfo).port;
  return {
    url: `https://127.0.0.1:${port}`,
    state,
    close: () => new Promise<void>((resolve) => proxy.close(() => resolve())),
  };
}

/** The team server as a child process (the bundle of team-server-child.ts). */
export class ServerProcess {
  private child: ChildProcess | null = null;
  private port = 0;

  constructor(
    private readonly bundle: string,
    private readonly database: DatabaseConfig,
    /** The server's folder (shared with the in-process server of the test: same key). */
    private readonly dir: string,
  ) {}

  /** Starts it (on the port of the last start, if any); answers its address. */
  async start(fault?: string): Promise<string> {
    const identity = testServerIdentity();
    const proc = spawn(process.execPath, [this.bundle], {
      env: {
        ...process.env,
        CUSTODIAN_TEST_FAULT: fault ?? '',
        CUSTODIAN_CHILD_CONFIG: JSON.stringify({
          database: this.database,
          dir: this.dir,
          certPem: identity.certPem,
          keyPem: identity.keyPem,
          port: this.port,
        }),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = proc;
    let errors = '';
    proc.stderr!.on('data', (d: Buffer) => (errors += d.toString()));
    this.port = await new Promise<number>((resolve, reject) => {
      let out = '';
      proc.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /LISTENING (\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      proc.once('exit', (code) => reject(new Error(`server child exited ${code}: ${errors}`)));
    });
    return `https://127.0.0.1:${this.port}`;
  }

  /** kill -9, as a crash or a power cut. */
  kill9(): Promise<void> {
    const proc = this.child;
    this.child = null;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      proc.once('exit', () => resolve());
      proc.kill('SIGKILL');
    });
  }

  /** Waits for it to die by itself (at its fault point); answers the signal. */
  died(): Promise<string | null> {
    const proc = this.child;
    this.child = null;
    if (!proc) return Promise.resolve(null);
    if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve(proc.signalCode);
    return new Promise((resolve) => proc.once('exit', (_c, signal) => resolve(signal)));
  }

  /** Stops it, and the next start takes a fresh port. */
  async reset(): Promise<void> {
    await this.kill9();
    this.port = 0;
  }
}

/** What the user is told when the server died before it answered. */
export const LOST =
  /was lost before it answered.*may or may not have been saved: look before you try again/;

/** The refusal's message (and that it is one). */
export function messageOf(r: Result<unknown>): string {
  expect(r.ok).toBe(false);
  return r.ok ? '' : r.error.message;
}

export const sha256File = (file: string) =>
  createHash('sha256').update(fs.readFileSync(file)).digest('hex');

export const exportInput = (fileName: string) => ({
  fields: ['firstName', 'lastName'],
  format: 'csv' as const,
  fileName,
});

/** The enrolled test workstation: its clients, its export folder, and the log seen from it. */
export class FaultWorkstation {
  constructor(
    private readonly db: Knex,
    private readonly creds: Creds,
    readonly exportDir: string,
  ) {}

  client(url: string, extra: Partial<RemoteOptions> = {}): TeamServerClient {
    return new TeamServerClient({
      url,
      fingerprint: testServerIdentity().fingerprint,
      client: TEST_CLIENT,
      clientAuth: this.creds,
      exportDir: this.exportDir,
      timeoutMs: 10_000,
      ...extra,
    });
  }

  async signIn(c: TeamServerClient, username: string, password: string): Promise<RemoteSession> {
    const s = c.openSession();
    const r = await c.invoke(s, 'auth.login', { username, password });
    expect(r.ok).toBe(true);
    return s;
  }

  /** What the export folder holds, hidden temporary files included. */
  files(): string[] {
    return fs.existsSync(this.exportDir) ? fs.readdirSync(this.exportDir).sort() : [];
  }

  /** The disclosure log's records of one file name, in order. */
  async recordsOf(fileName: string) {
    return (await this.db('disclosure_log')
      .where('file_path', 'like', `%${fileName}`)
      .orderBy('seq')
      .select('seq', 'kind', 'sha256')) as { seq: number; kind: string; sha256: string }[];
  }

  /** Kinds of the follow-ups of a record (completed or abandoned). */
  async followUpsOf(seq: number): Promise<string[]> {
    const rows = (await this.db('disclosure_log').where('ref_seq', seq).select('kind')) as {
      kind: string;
    }[];
    return rows.map((r) => r.kind);
  }
}
