import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openBackend, type Backend } from '../../main/backend';
import type { Channel, Input, Output } from '../../shared/contract';
import type { AppErrorShape } from '../../shared/errors';
import type { Session } from '../../main/services/session';
import { silentLogger } from '../../main/log';
import type { Clock } from '../../main/services/clock';

export interface TestBackend {
  backend: Backend;
  dir: string;
  filename: string;
  call<C extends Channel>(session: Session, channel: C, input: Input<C>): Promise<Output<C>>;
  fail<C extends Channel>(session: Session, channel: C, input: Input<C>): Promise<AppErrorShape>;
  close(): Promise<void>;
}

export class ManualClock implements Clock {
  constructor(private t = Date.parse('2026-11-25T09:00:00Z')) {}
  now(): Date {
    return new Date(this.t);
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

/** A real backend on a fresh SQLite file in a temporary folder. */
export async function openTestBackend(opts: { clock?: Clock } = {}): Promise<TestBackend> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-test-'));
  const filename = path.join(dir, 'custodian.sqlite');
  const backend = await openBackend({
    database: { client: 'sqlite', filename },
    logger: silentLogger,
    ...(opts.clock ? { clock: opts.clock } : {}),
  });
  return {
    backend,
    dir,
    filename,
    async call(session, channel, input) {
      const r = await backend.invoke(session, channel, input);
      if (!r.ok)
        throw new Error(
          `${channel} failed: ${r.error.code} ${r.error.message} ${JSON.stringify(r.error.fieldErrors ?? {})}`,
        );
      return r.value as never;
    },
    async fail(session, channel, input) {
      const r = await backend.invoke(session, channel, input);
      if (r.ok) throw new Error(`${channel} unexpectedly succeeded`);
      return r.error;
    },
    async close() {
      await backend.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const ADMIN = {
  displayName: 'Ada Admin',
  username: 'ada',
  password: 'correct horse battery',
  passwordConfirm: 'correct horse battery',
};
