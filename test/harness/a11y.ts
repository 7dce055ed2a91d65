/**
 * Accessibility checks for the end-to-end suite: axe-core run on the page as it is shown, in the
 * light and the dark colour scheme. Any serious or critical violation fails the test with what is
 * wrong and where; lesser findings are kept in test/artifacts/a11y.json for a reader.
 */
import fs from 'node:fs';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from '@playwright/test';

export type Scheme = 'light' | 'dark';

export interface A11yFinding {
  screen: string;
  scheme: Scheme;
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

const FAILING = new Set(['serious', 'critical']);

/** Runs axe on the page and returns its findings (every impact) for this screen and scheme. */
export async function axeFindings(
  page: Page,
  screen: string,
  scheme: Scheme,
): Promise<A11yFinding[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations.map((v) => ({
    screen,
    scheme,
    id: v.id,
    impact: v.impact ?? 'unknown',
    help: v.help,
    targets: v.nodes.slice(0, 8).map((n) => `${n.target.join(' ')} — ${n.failureSummary ?? ''}`),
  }));
}

/** Appends findings to the run's JSON record (one file for the whole run, beside the screenshots). */
export function recordFindings(artifactsDir: string, findings: A11yFinding[]): void {
  const file = path.join(artifactsDir, 'a11y.json');
  let earlier: A11yFinding[];
  try {
    earlier = JSON.parse(fs.readFileSync(file, 'utf8')) as A11yFinding[];
  } catch {
    earlier = [];
  }
  // A screen checked again (a re-run) replaces its earlier findings.
  const seen = new Set(findings.map((f) => `${f.screen}/${f.scheme}`));
  const all = earlier.filter((f) => !seen.has(`${f.screen}/${f.scheme}`)).concat(findings);
  fs.writeFileSync(file, JSON.stringify(all, null, 2));
}

/** Throws with a readable list when any finding is serious or critical. */
export function assertNoSerious(findings: A11yFinding[]): void {
  const bad = findings.filter((f) => FAILING.has(f.impact));
  if (bad.length === 0) return;
  const lines = bad.map(
    (f) =>
      `[${f.screen}, ${f.scheme}] ${f.id} (${f.impact}): ${f.help}\n    ${f.targets.join('\n    ')}`,
  );
  throw new Error(`axe found ${bad.length} serious or critical violation(s):\n${lines.join('\n')}`);
}

/** Switches the page's prefers-color-scheme and waits until the console follows it. */
export async function showScheme(page: Page, scheme: Scheme): Promise<void> {
  await page.emulateMedia({ colorScheme: scheme });
  await page
    .waitForFunction(
      (s) => document.documentElement.getAttribute('data-mantine-color-scheme') === s,
      scheme,
      { timeout: 2000 },
    )
    .catch(() => undefined);
}
