/**
 * Progress of long operations (bulk marking), kept in memory so that a window can poll it while
 * the operation's own call is still running. Reading it never touches the database.
 */
export interface JobProgress {
  done: number;
  total: number;
  finished: boolean;
}

export class JobRegistry {
  private readonly jobs = new Map<string, JobProgress & { owner: string; at: number }>();

  start(id: string, owner: string, total: number): (done: number) => void {
    this.prune();
    this.jobs.set(id, { done: 0, total, finished: false, owner, at: Date.now() });
    return (done) => {
      const job = this.jobs.get(id);
      if (job) job.done = done;
    };
  }

  finish(id: string): void {
    const job = this.jobs.get(id);
    if (job) job.finished = true;
  }

  get(id: string, owner: string): JobProgress | null {
    const job = this.jobs.get(id);
    if (!job || job.owner !== owner) return null;
    return { done: job.done, total: job.total, finished: job.finished };
  }

  private prune(): void {
    const old = Date.now() - 3_600_000;
    for (const [id, job] of this.jobs) if (job.at < old) this.jobs.delete(id);
  }
}
