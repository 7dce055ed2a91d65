/**
 * A CPU profile of one piece of work, for the profiling tools beside the bench (not part of
 * `npm run bench`): open the file in Chrome's DevTools, Performance panel.
 */
import fs from 'node:fs';
import { Session as Inspector } from 'node:inspector/promises';

/** Runs `fn` under the CPU profiler and writes the profile to `file` (null: just runs it). */
export async function profiled<T>(file: string | null, fn: () => Promise<T>): Promise<T> {
  if (file === null) return fn();
  const inspector = new Inspector();
  inspector.connect();
  await inspector.post('Profiler.enable');
  await inspector.post('Profiler.setSamplingInterval', { interval: 100 });
  await inspector.post('Profiler.start');
  try {
    return await fn();
  } finally {
    const { profile } = await inspector.post('Profiler.stop');
    fs.writeFileSync(file, JSON.stringify(profile));
    inspector.disconnect();
  }
}
