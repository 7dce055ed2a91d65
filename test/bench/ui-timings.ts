/**
 * The console's smoothness targets (issue 17), checked against the figures the end-to-end run
 * measured (test/e2e/ui-timings.spec.ts writes test/artifacts/ui-timings.json): scrolling the
 * accounts list at p95 frame time <= 20 ms, and a search's results on screen within 150 ms of
 * the last key (debounce included). `npm run bench -- --ui` checks only these.
 */
import fs from 'node:fs';
import path from 'node:path';

export const UI_TIMINGS = path.resolve('test', 'artifacts', 'ui-timings.json');

export const UI_TARGETS = { p95FrameMs: 20, searchMs: 150 } as const;

interface UiTimings {
  measuredAt: string;
  accounts: number;
  scroll: { p95FrameMs: number; framesOver50ms: number; frames: number };
  search: { medianMs: number; maxMs: number; samples: { kind: string; ms: number }[] };
}

/** Verdict lines for the measured figures, and whether every target was met (null: no file). */
export function uiTargets(file = UI_TIMINGS): { lines: string[]; met: boolean | null } {
  if (!fs.existsSync(file)) {
    return {
      lines: [
        `UI targets: no figures (run the end-to-end test ui-timings.spec.ts to write ${path.relative(process.cwd(), file)}).`,
      ],
      met: null,
    };
  }
  const t = JSON.parse(fs.readFileSync(file, 'utf8')) as UiTimings;
  const verdict = (ok: boolean) => (ok ? 'met   ' : 'MISSED');
  const scrollOk = t.scroll.p95FrameMs <= UI_TARGETS.p95FrameMs;
  const searchOk = t.search.maxMs <= UI_TARGETS.searchMs;
  return {
    met: scrollOk && searchOk,
    lines: [
      `UI targets (${t.accounts.toLocaleString('en-US')} accounts, measured ${t.measuredAt}):`,
      `  ${verdict(scrollOk)} scrolling: p95 frame ${t.scroll.p95FrameMs} ms (<= ${UI_TARGETS.p95FrameMs}), ${t.scroll.framesOver50ms} of ${t.scroll.frames} frames over 50 ms`,
      `  ${verdict(searchOk)} search, last key to results on screen: median ${t.search.medianMs} ms, slowest ${t.search.maxMs} ms (<= ${UI_TARGETS.searchMs}); ${t.search.samples.map((s) => `${s.kind} ${s.ms} ms`).join(', ')}`,
    ],
  };
}
