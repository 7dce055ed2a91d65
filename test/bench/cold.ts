/**
 * Reads on a cold cache (issue 18): the first search and the first list page of a database just
 * opened, with its file dropped from the OS's page cache before it opens (`dd iflag=nocache`, as
 * for any file this user may read; no root needed) and SQLite's own cache empty. Each sample opens
 * the backend afresh, so there are tens of them, not the warm rows' thousand.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import type { DatabaseConfig } from '../../main/db/connect';
import type { Input } from '../../shared/contract';
import { percentile, type Result } from './stats';
import { benchBackend } from './tool';

/** Drops `file` from the page cache; false when this system cannot (no dd with nocache). */
export function dropFromCache(file: string): boolean {
  if (!fs.existsSync(file)) return true;
  const r = spawnSync('dd', [`if=${file}`, 'iflag=nocache', 'count=0', 'status=none']);
  return r.status === 0;
}

export interface ColdOptions {
  database: DatabaseConfig & { client: 'sqlite' };
  workDir: string;
  username: string;
  password: string;
  samples: number;
  /** The i-th search, as the warm row sends it. */
  search: (i: number) => Input<'accounts.list'>;
  add: (r: Omit<Result, 'engine'>) => void;
}

export async function coldReads(o: ColdOptions): Promise<void> {
  const first: Record<'search' | 'page', number[]> = { search: [], page: [] };
  let dropped = true;
  for (let i = 0; i < o.samples; i++) {
    for (const suffix of ['', '-wal']) dropped &&= dropFromCache(`${o.database.filename}${suffix}`);
    const backend = await benchBackend(o.database, o.workDir);
    try {
      const s = backend.openSession();
      const login = await backend.invoke(s, 'auth.login', {
        username: o.username,
        password: o.password,
      });
      if (!login.ok) throw new Error(`login: ${login.error.message}`);
      for (const [kind, input] of [
        ['search', o.search(i)],
        ['page', { sort: 'name', limit: 50 }],
      ] as const) {
        const started = performance.now();
        const r = await backend.invoke(s, 'accounts.list', input);
        first[kind].push(performance.now() - started);
        if (!r.ok) throw new Error(`accounts.list: ${r.error.message}`);
      }
    } finally {
      await backend.close();
    }
  }
  const how = dropped
    ? "the file dropped from the OS's page cache and the database opened afresh"
    : "the database opened afresh (this system could not drop the file from the OS's cache)";
  for (const [kind, work] of [
    ['search', 'search by name prefix, cold'],
    ['page', 'list page by name: start, cold'],
  ] as const) {
    o.add({
      work,
      rows: 0,
      p50_ms: percentile(first[kind], 0.5),
      p95_ms: percentile(first[kind], 0.95),
      baseline_p50_ms: null,
      baseline_p95_ms: null,
      samples: o.samples,
      note: `the first call after ${how}; ${o.samples} samples, each a fresh open`,
    });
  }
}
