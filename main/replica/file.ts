/**
 * A workstation's offline replica file (issue 16): one SQLCipher file per staff member in the
 * workstation's replica folder, keyed by a data key the caller supplies (wrapped like the
 * embedded database's, by the OS keychain). Deleting it is how a deactivated member's replica
 * is wiped.
 */
import fs from 'node:fs';
import path from 'node:path';
import { connect } from '../db/connect';
import type { Db } from '../db/handle';
import { migrateReplica } from '../db/stores/replica/schema';
import { OfflineAccessLogStore } from '../db/stores/replica/access-log';
import { OutboxStore } from '../db/stores/replica/outbox';
import { ReplicaStore } from '../db/stores/replica/store';

export interface ReplicaLocation {
  /** The workstation's replica folder. */
  dir: string;
  /** The staff member whose role's view it holds. */
  staffId: string;
  /** The 32-byte data key of this replica. */
  key: Buffer;
}

const STAFF_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The file of `staffId`'s replica in `dir` (a staff id is a UUID: nothing to escape). */
export function replicaFile(dir: string, staffId: string): string {
  if (!STAFF_ID.test(staffId)) throw new Error('a replica is named by a staff id (a UUID)');
  return path.join(dir, `replica-${staffId}.db`);
}

/** An open replica: its rows, and the file they live in. */
export class OpenReplica {
  private closed = false;

  constructor(
    readonly filename: string,
    private readonly db: Db,
    readonly store: ReplicaStore,
    readonly outbox: OutboxStore,
    readonly accessLog: OfflineAccessLogStore,
  ) {}

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.db.destroy();
  }

  /** Closes the replica and deletes its file with its WAL and shared-memory files. */
  async wipe(): Promise<void> {
    await this.close();
    wipeReplicaFile(this.filename);
  }
}

export function wipeReplicaFile(filename: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal'])
    fs.rmSync(filename + suffix, { force: true });
}

/** Opens (creating if absent) the replica at `where`, its schema brought up to date. */
export async function openReplicaFile(where: ReplicaLocation): Promise<OpenReplica> {
  const filename = replicaFile(where.dir, where.staffId);
  const db = connect({ client: 'sqlite', filename, key: where.key });
  try {
    // What a refill removes is overwritten on disk, not left in free pages (pool of one).
    await db.raw('PRAGMA secure_delete = ON');
    // A fill writes six indexes in key order that is not the file's: with SQLite's default 2 MB
    // cache every page would be decrypted and encrypted again many times over.
    await db.raw('PRAGMA cache_size = -65536');
    await migrateReplica(db);
  } catch (err) {
    await db.destroy();
    throw err;
  }
  return new OpenReplica(
    filename,
    db,
    new ReplicaStore(db),
    new OutboxStore(db),
    new OfflineAccessLogStore(db),
  );
}
