/** Quiet time after the last read before queued access-log entries are indexed. */
export const INDEX_IDLE_MS = 1000;
/** Queued account ids (about 200 list pages) that start indexing even without a pause. */
export const INDEX_BACKLOG = 10_000;

/**
 * When the access log's per-account index is brought up to date: after a pause in reading, when
 * the backlog grows large, or on demand (before a query that needs it). Runs never overlap, and
 * a run asked for while one is under way starts after it, so that it sees every entry queued
 * before it was asked for.
 */
export class BatchIndexer {
  private backlog = 0;
  private timer: NodeJS.Timeout | null = null;
  private tail: Promise<number> = Promise.resolve(0);
  private stopped = false;

  /**
   * @param batch moves the oldest queued entries into the index, at most `batchSize` of them;
   *   answers how many it moved. One that moves fewer has emptied the queue as it was then.
   */
  constructor(
    private readonly batch: () => Promise<number>,
    private readonly batchSize: number,
    private readonly onError: (err: unknown) => void,
  ) {}

  /** Entries were queued, with this many account ids between them. */
  queued(accountIds: number): void {
    if (this.stopped) return;
    this.backlog += accountIds;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.backlog >= INDEX_BACKLOG) {
      this.background();
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = null;
      this.background();
    }, INDEX_IDLE_MS);
    // Never what keeps a process (the command line) alive.
    this.timer.unref();
  }

  /** Indexes everything queued so far; answers how many entries were moved. */
  run(): Promise<number> {
    const next = this.tail.catch(() => 0).then(() => this.drain());
    this.tail = next;
    return next;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.tail.catch(() => undefined);
  }

  private background(): void {
    if (this.stopped) return;
    this.run().catch((err: unknown) => {
      // Left queued in the database: the next run (or the next start) indexes it.
      this.onError(err);
    });
  }

  private async drain(): Promise<number> {
    this.backlog = 0;
    let moved = 0;
    for (;;) {
      const n = await this.batch();
      moved += n;
      // A short batch took everything queued before it. Going on until a batch finds nothing
      // would, under steady reading, index the one entry each read adds, a transaction per read.
      if (n < this.batchSize) return moved;
    }
  }
}
