/**
 * A large load's write-ahead log copied into the database file on a connection of its own, after
 * the load has committed, instead of inside the load's COMMIT.
 *
 * SQLite copies the WAL into the database (a checkpoint) when a commit leaves the WAL over 1,000
 * pages, and that commit waits for the copy. After an import of 1,000,000 accounts this is over a
 * gigabyte, 5–6 s on the bench's machine, which the person importing would wait for although
 * the import is done and committed. SQLite's documentation suggests, for such cases, turning the
 * automatic checkpoint off and running it on another thread: here the automatic checkpoint is
 * off on the load's connection (the pool's only one) from before the load, and after the load a
 * sibling connection runs a PASSIVE checkpoint, which blocks neither readers nor writers. The
 * automatic checkpoint is turned back on when that is done.
 *
 * Nothing is less durable for it: a commit in WAL mode with `synchronous = NORMAL` (the engine's
 * setting) is in the WAL either way. If the sibling cannot open or fails, the next commit on the
 * pool's connection checkpoints as before. The client awaits the sibling before it closes.
 */
import type { Knex } from 'knex';
import { isSqlite } from '../connect';
import type { ClientSQLCipher } from '../sqlcipher';

/**
 * A deferred checkpoint. `backgroundCheckpoints` resolves once it has copied the WAL (or failed)
 * and turned the automatic checkpoint back on.
 */
export interface DeferredCheckpoint {
  /** Starts the checkpoint on a sibling connection; call once the load's transaction ended. */
  start(): void;
}

/** Nothing deferred: the load is small, or the engine is PostgreSQL. */
export const NO_DEFERRED_CHECKPOINT: DeferredCheckpoint = { start: () => undefined };

/**
 * Turns the automatic checkpoint off on the pool's connection; `start()` hands the checkpoint to
 * a sibling connection and then turns it back on. Call `start()` in a finally (a failed load
 * still turns it back on). PostgreSQL: nothing to do.
 */
export async function deferCheckpoint(db: Knex): Promise<DeferredCheckpoint> {
  const client = db.client as ClientSQLCipher;
  if (!isSqlite(db) || !client.openSibling) return NO_DEFERRED_CHECKPOINT;
  const openSibling = client.openSibling;
  const rows = (await db.raw('PRAGMA wal_autocheckpoint')) as { wal_autocheckpoint: number }[];
  const pages = Number(rows[0]?.wal_autocheckpoint);
  if (!Number.isSafeInteger(pages) || pages <= 0) return NO_DEFERRED_CHECKPOINT;
  await db.raw('PRAGMA wal_autocheckpoint = 0');

  let started = false;
  const work = async () => {
    try {
      const sibling = await openSibling();
      try {
        await new Promise<void>((resolve, reject) =>
          sibling.run('PRAGMA wal_checkpoint(PASSIVE)', (err) => (err ? reject(err) : resolve())),
        );
      } finally {
        await new Promise<void>((resolve) => sibling.close(() => resolve()));
      }
    } catch {
      // The next commit on the pool's connection checkpoints instead.
    }
    await db.raw(`PRAGMA wal_autocheckpoint = ${pages}`).catch(() => undefined);
  };
  return {
    start() {
      if (started) return;
      started = true;
      const running = work().finally(() => client.background.delete(running));
      client.background.add(running);
    },
  };
}

/** Resolves when every deferred checkpoint of this database has ended. */
export async function backgroundCheckpoints(db: Knex): Promise<void> {
  const client = db.client as Partial<ClientSQLCipher>;
  if (client.background) await Promise.allSettled([...client.background]);
}
