import { defineConfig } from '@playwright/test';

/**
 * End-to-end tests. They never use Playwright's bundled browsers: the console harness
 * (test/harness/launch-console.ts) launches the system Chromium itself, and the Electron spec
 * launches Electron. Build the renderer first: `npx vite build`.
 */
export default defineConfig({
  testDir: 'test/e2e',
  testMatch: '*.spec.ts',
  outputDir: 'test-results',
  // Two spec files at a time on the two cores (each launches its own console, folders and
  // ports); the tests inside a file run in order. ui-timings' figures are only trusted from a
  // run of that spec alone (`npm run bench -- --ui` says how).
  workers: 2,
  fullyParallel: false,
  // Generous: every screenshot also runs axe twice (light and dark) on this slow CI machine.
  timeout: 180_000,
  expect: { timeout: 10_000 },
  retries: 0,
  reporter: 'list',
  forbidOnly: !!process.env.CI,
  use: { trace: 'off', screenshot: 'off', video: 'off' },
});
