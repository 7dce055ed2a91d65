import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { uiTargets } from '../bench/ui-timings';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** A file of figures as ui-timings.spec.ts writes it. */
function figures(accounts: number, p95FrameMs: number, searchMaxMs: number): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ui-targets-'));
  dirs.push(dir);
  const file = path.join(dir, `ui-timings-${accounts}.json`);
  fs.writeFileSync(
    file,
    JSON.stringify({
      measuredAt: '2026-12-07T06:00:00.000Z',
      accounts,
      machine: { loadAverage: [1.5, 1, 1] },
      scroll: { frames: 300, p95FrameMs, framesOver50ms: 0 },
      search: { medianMs: searchMaxMs, maxMs: searchMaxMs, samples: [{ kind: 'email', ms: 90 }] },
    }),
  );
  return file;
}

describe('the bench --ui verdict over the sizes measured', () => {
  it('is met only when every size meets both targets', () => {
    const both = uiTargets([figures(5_000, 16.7, 120), figures(1_000_000, 18, 149)]);
    expect(both.met).toBe(true);
    expect(both.lines.join('\n')).toContain('UI targets (1,000,000 accounts');
    expect(uiTargets([figures(5_000, 16.7, 120), figures(1_000_000, 33.3, 120)]).met).toBe(false);
    expect(uiTargets([figures(5_000, 16.7, 151), figures(1_000_000, 16.7, 120)]).met).toBe(false);
  });

  it('says how to measure a size with no figures, and does not call the targets met', () => {
    const missing = path.join(os.tmpdir(), 'no-such-dir', 'ui-timings-1000000.json');
    const r = uiTargets([figures(5_000, 16.7, 120), missing]);
    expect(r.met).toBeNull();
    expect(r.lines.at(-1)).toContain('no figures');
    // A miss elsewhere is still a miss.
    expect(uiTargets([figures(5_000, 40, 120), missing]).met).toBe(false);
  });
});
