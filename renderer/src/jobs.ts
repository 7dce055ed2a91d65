import { call } from './api';

/** How far a long call has got, as main counts it (jobs.progress). */
export interface JobProgress {
  done: number;
  total: number;
}

/**
 * Runs a long call as a job: main counts its progress and this polls it while the call itself is
 * still running. Polling stops with the call, so it never keeps an idle console awake.
 */
export async function withJobProgress<T>(
  run: (jobId: string) => Promise<T>,
  onProgress: (p: JobProgress) => void,
): Promise<T> {
  const jobId = crypto.randomUUID();
  let stop = false;
  const polling = (async () => {
    while (!stop) {
      await new Promise((r) => setTimeout(r, 200));
      if (stop) break;
      try {
        const p = await call('jobs.progress', { jobId });
        if (p && !stop) onProgress({ done: p.done, total: p.total });
      } catch {
        // A progress read that fails changes nothing: the outcome comes from the call itself.
      }
    }
  })();
  try {
    return await run(jobId);
  } finally {
    stop = true;
    await polling;
  }
}
