// The real app in Electron: main process, preload, app:// protocol, IPC into the backend and the
// built renderer. Needs the Electron binary (skipped, with the reason printed, when npm installed
// with ELECTRON_SKIP_BINARY_DOWNLOAD) and a build: `npm run build`. On Linux without a display,
// run it under `xvfb-run`.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { _electron as electron, expect, test, type ElectronApplication } from '@playwright/test';

const projectRoot = path.resolve('.');
const mainBundle = path.join(projectRoot, 'dist', 'main', 'electron.cjs');

/**
 * The Electron executable, found the way the `electron` package finds it (node_modules/electron/
 * path.txt, then dist/) without loading that package, which throws when its binary is missing.
 */
function findElectron(): { executable: string } | { reason: string } {
  const require = createRequire(path.join(projectRoot, 'package.json'));
  let packageDir: string;
  try {
    packageDir = path.dirname(require.resolve('electron/package.json'));
  } catch {
    return { reason: 'the electron package is not installed' };
  }
  const pathFile = path.join(packageDir, 'path.txt');
  if (!fs.existsSync(pathFile)) {
    return {
      reason:
        'Electron binary not installed (npm ran with ELECTRON_SKIP_BINARY_DOWNLOAD, so ' +
        'node_modules/electron has no path.txt and no dist/); install it with internet access ' +
        '(`node node_modules/electron/install.js`) to run this test',
    };
  }
  const executable = path.join(packageDir, 'dist', fs.readFileSync(pathFile, 'utf8').trim());
  if (!fs.existsSync(executable)) {
    return { reason: `Electron binary not found at ${executable}` };
  }
  return { executable };
}

const found = findElectron();
const skipReason = 'reason' in found ? found.reason : null;
if (skipReason) console.log(`[electron.spec] skipped: ${skipReason}`);

test.describe('Custodian in Electron', () => {
  test.skip(skipReason !== null, skipReason ?? '');

  let app: ElectronApplication;
  let dataDir: string;

  test.beforeAll(async () => {
    if (!('executable' in found)) return;
    expect(fs.existsSync(mainBundle), 'dist/main/electron.cjs: run `npm run build` first').toBe(
      true,
    );
    expect(
      fs.existsSync(path.join(projectRoot, 'dist', 'renderer', 'index.html')),
      'dist/renderer: run `npm run build` first',
    ).toBe(true);
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-electron-e2e-'));
    // Chromium refuses to start as root unless its OS sandbox is off (CI containers run as root).
    // The renderer's own settings (sandbox, context isolation) are unchanged and checked below.
    const asRoot = process.getuid?.() === 0;
    app = await electron.launch({
      executablePath: found.executable,
      args: [...(asRoot ? ['--no-sandbox'] : []), mainBundle],
      cwd: projectRoot,
      env: {
        ...process.env,
        CUSTODIAN_DB: path.join(dataDir, 'custodian.sqlite'),
        CUSTODIAN_USER_DATA: path.join(dataDir, 'userData'),
      },
    });
  });

  test.afterAll(async () => {
    await app?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('opens the Custodian window, through the new database\u2019s start screens, on first run', async () => {
    const page = await app.firstWindow();
    // Without an OS keychain (a bare Linux), a passphrase protects the new database's key.
    const passphrase = page.getByRole('heading', { name: 'Protect the new database' });
    const recovery = page.getByRole('heading', { name: 'Write down the recovery key' });
    await expect(passphrase.or(recovery)).toBeVisible();
    if (await passphrase.isVisible()) {
      await page.getByLabel(/^Passphrase/).fill('electron end to end passphrase');
      await page.getByLabel(/^The passphrase again/).fill('electron end to end passphrase');
      await page.getByRole('button', { name: 'Create the database' }).click();
    }
    await expect(recovery).toBeVisible();
    await page.getByLabel('I have written the recovery key down').check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect(page.getByRole('heading', { name: 'Set up Custodian' })).toBeVisible();
    expect(page.url()).toBe('app://custodian/index.html');
    expect(await page.title()).toBe('Custodian');
    const windowTitle = await app.evaluate(({ BrowserWindow }) =>
      BrowserWindow.getAllWindows().map((w) => w.getTitle()),
    );
    expect(windowTitle).toEqual(['Custodian']);
    expect(fs.existsSync(path.join(dataDir, 'custodian.sqlite'))).toBe(true);
  });

  // window.custodian existing at all proves context isolation: contextBridge refuses to work
  // without it. The exact web preferences are asserted in test/unit/shell*.test.ts.
  test('the page sees window.custodian.invoke and nothing of Node or Electron', async () => {
    const page = await app.firstWindow();
    const seen = await page.evaluate(() => {
      const w = window as unknown as Record<string, unknown>;
      const api = w.custodian as Record<string, unknown>;
      return {
        apiKeys: Object.keys(api),
        invoke: typeof api.invoke,
        require: typeof w.require,
        process: typeof w.process,
        module: typeof w.module,
        Buffer: typeof w.Buffer,
        electron: typeof w.electron,
        ipcRenderer: typeof w.ipcRenderer,
      };
    });
    expect(seen).toEqual({
      apiKeys: ['invoke'],
      invoke: 'function',
      require: 'undefined',
      process: 'undefined',
      module: 'undefined',
      Buffer: 'undefined',
      electron: 'undefined',
      ipcRenderer: 'undefined',
    });
    const status = await page.evaluate(() =>
      (
        window as unknown as { custodian: { invoke(c: string, i: unknown): Promise<unknown> } }
      ).custodian.invoke('app.status', {}),
    );
    expect(status).toMatchObject({ ok: true, value: { initialised: false, session: null } });
  });

  test('denies new windows and navigation away from the app', async () => {
    const page = await app.firstWindow();
    const opened = await page.evaluate(() => window.open('https://example.com/') === null);
    expect(opened).toBe(true);
    await page.evaluate(() => {
      window.location.href = 'https://example.com/';
    });
    await page.waitForTimeout(500);
    expect(page.url()).toBe('app://custodian/index.html');
    expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
  });
});
