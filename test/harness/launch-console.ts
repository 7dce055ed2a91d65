/**
 * Launches the console for end-to-end tests without Electron: the real workstation
 * (main/workstation, as Electron's main process opens it) on an encrypted SQLite file or
 * enrolled with a team server, the built renderer (dist/renderer) served over HTTP on 127.0.0.1,
 * and Debian Chromium driven by Playwright. Each page is its own caller, as each Electron window
 * is, and `window.custodian` is the same one-method object the preload exposes.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type BrowserContext, type Page } from '@playwright/test';
import type { Backend } from '../../main/backend';
import type { Keychain } from '../../main/keys/data-key';
import type { Clock } from '../../main/services/clock';
import type { Workstation } from '../../main/workstation/workstation';
import { assertNoSerious, axeFindings, recordFindings, showScheme } from './a11y';
import { loadBackend } from './load-backend';

export const RENDERER_DIR = path.resolve(import.meta.dirname, '../../dist/renderer');
export const ARTIFACTS_DIR = path.resolve(import.meta.dirname, '../artifacts');

/** The harness's own calls to the workstation, apart from every page's. */
const HARNESS_CALLER = {};

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export interface LaunchOptions {
  /** SQLite file to open; a fresh temporary one when absent. */
  database?: string;
  /** The backend's time source (e.g. a manual clock to test idle lock and lockout). */
  clock?: Clock;
  /** Browser viewport; a typical laptop screen by default. */
  viewport?: { width: number; height: number };
  /** Stands in for Electron's open dialog on the import screen (a fixture's path, or null). */
  chooseImportFile?: () => Promise<string | null>;
  /** Stands in for Electron's open dialog when a backup is restored. */
  chooseBackupFile?: () => Promise<string | null>;
  /**
   * The start as a person meets it: no OS keychain (a passphrase is asked), and a new database's
   * recovery key left for the page to show. By default the harness has a keychain and confirms
   * the recovery key itself, so that a spec starts at the first-run screen.
   */
  startScreens?: boolean;
  /**
   * A team workstation not yet enrolled: the page starts at the enrolment screen. `backend` is
   * the team server's, for the spec's own set-up.
   */
  team?: { backend: Backend };
}

export interface Console {
  /** The first page, already pointing at the console. */
  page: Page;
  /** The backend behind the console (the embedded one once open, or the team server's). */
  readonly backend: Backend;
  workstation: Workstation;
  /** Where the backend writes exports, disclosures and checkpoints (inside the temporary folder). */
  exportDir: string;
  baseUrl: string;
  context: BrowserContext;
  /** Uncaught page errors and console errors seen so far (CSP violations included). */
  pageErrors: string[];
  /** Another window onto the same backend, with its own sign-in state. */
  newPage(): Promise<Page>;
  /**
   * Saves full-page screenshots of the first page to test/artifacts/<name>.png and
   * <name>-dark.png (the OS set to dark), runs axe on both and fails on any serious or critical
   * violation.
   */
  screenshot(name: string, page?: Page): Promise<string>;
  close(): Promise<void>;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Resolves a request path inside `root`, or null when it would leave it (encoded dots, absolute
 * paths, backslashes, NUL bytes) or does not name a file.
 */
export function resolveStatic(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0]!.split('#')[0]!);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const relative = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '');
  const full = path.resolve(root, relative);
  if (full !== root && !full.startsWith(root + path.sep)) return null;
  try {
    return fs.statSync(full).isFile() ? full : null;
  } catch {
    return null;
  }
}

function serveStatic(root: string): Promise<{ server: http.Server; baseUrl: string }> {
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    const file = resolveStatic(root, req.url ?? '/');
    if (!file) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found');
      return;
    }
    const type = CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
    res.writeHead(200, {
      'Content-Type': type,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    });
    if (req.method === 'HEAD') res.end();
    else fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, baseUrl: `http://127.0.0.1:${port}/` });
    });
  });
}

function chromiumPath(): string | undefined {
  for (const candidate of [process.env.CHROMIUM_PATH, '/usr/bin/chromium']) {
    if (candidate && fs.existsSync(candidate)) return candidate;
  }
  return undefined;
}

export async function launchConsole(options: LaunchOptions = {}): Promise<Console> {
  if (!fs.existsSync(path.join(RENDERER_DIR, 'index.html'))) {
    throw new Error(`No built renderer in ${RENDERER_DIR}: run \`npx vite build\` first.`);
  }
  // Exports and the checkpoint signing key stay in a temporary folder, never in the home folder.
  const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-e2e-'));
  const filename = options.database ?? path.join(tempDir, 'custodian.sqlite');
  const exportDir = path.join(tempDir, 'exports');

  const { Workstation, silentLogger } = await loadBackend();
  const userData = path.join(tempDir, 'user-data');
  if (options.team) {
    // As an earlier enrolment that was forgotten, or a workstation set up for a team.
    fs.mkdirSync(userData, { recursive: true });
    fs.writeFileSync(
      path.join(userData, 'workstation.json'),
      JSON.stringify({ format: 'custodian-workstation/1', mode: 'team', server: null }),
    );
  }
  const keychain = testKeychain();
  const workstation = await Workstation.start({
    userData,
    databaseFile: filename,
    keychain: options.startScreens ? null : keychain,
    client: { hostname: 'e2e-workstation', ip: '127.0.0.1', os: 'e2e', appVersion: 'e2e' },
    logger: silentLogger,
    embedded: {
      exportDir,
      keyDir: tempDir,
      witnessDirs: [path.join(tempDir, 'witness')],
      ...(options.clock ? { clock: options.clock } : {}),
    },
    ...(options.chooseImportFile ? { chooseImportFile: options.chooseImportFile } : {}),
    ...(options.chooseBackupFile ? { chooseBackupFile: options.chooseBackupFile } : {}),
    enrolmentModulus: 2048,
  });
  // The person setting up has written the recovery key down (the start-up spec shows it).
  if (!options.startScreens && !options.team) {
    await workstation.invoke(HARNESS_CALLER, 'workstation.recoveryKeyShown', {});
  }
  const backendOf = (): Backend => {
    const found = options.team?.backend ?? workstation.embeddedBackend;
    if (!found) throw new Error('The workstation has no database open yet.');
    return found;
  };
  let server: http.Server | undefined;
  let browser: Browser | undefined;
  try {
    const served = await serveStatic(RENDERER_DIR);
    server = served.server;
    const executablePath = chromiumPath();
    browser = await chromium.launch({
      ...(executablePath ? { executablePath } : {}),
      headless: true,
      args: CHROMIUM_ARGS,
    });
    const context = await browser.newContext({
      viewport: options.viewport ?? { width: 1440, height: 900 },
      locale: 'en-US',
      timezoneId: 'UTC',
      colorScheme: 'light',
    });

    // Each page is a caller of its own, as each Electron window is.
    await context.exposeBinding(
      '__custodianInvoke',
      async (source, channel: unknown, input: unknown) => {
        const result = await workstation.invoke(source.page, channel, input);
        // Only plain JSON crosses, as over Electron's structured clone of IPC.
        return JSON.parse(JSON.stringify(result)) as unknown;
      },
    );
    await context.addInitScript(() => {
      const w = window as unknown as {
        __custodianInvoke: (c: unknown, i: unknown) => Promise<unknown>;
        custodian: unknown;
      };
      const invoke = (channel: unknown, input: unknown) => w.__custodianInvoke(channel, input);
      Object.defineProperty(window, 'custodian', {
        value: Object.freeze({ invoke }),
        writable: false,
        configurable: false,
      });
    });

    const pageErrors: string[] = [];
    const watch = (p: Page) => {
      p.on('pageerror', (err) =>
        pageErrors.push(
          `pageerror: ${err.message}${process.env.CUSTODIAN_E2E_STACKS ? `\n${err.stack ?? ''}` : ''}`,
        ),
      );
      p.on('console', (msg) => {
        if (msg.type() !== 'error') return;
        const text = msg.text();
        // Failed loads are reported with their URL below instead.
        if (text.startsWith('Failed to load resource')) return;
        pageErrors.push(`console: ${text}`);
      });
      p.on('response', (res) => {
        const url = new URL(res.url());
        if (res.status() >= 400 && url.pathname !== '/favicon.ico') {
          pageErrors.push(`http ${res.status()}: ${url.pathname}`);
        }
      });
    };
    const baseUrl = served.baseUrl;
    const newPage = async () => {
      const p = await context.newPage();
      watch(p);
      await p.goto(baseUrl);
      return p;
    };
    const page = await newPage();
    fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });

    const openedBrowser = browser;
    const openedServer = server;
    return {
      page,
      get backend() {
        return backendOf();
      },
      workstation,
      exportDir,
      baseUrl,
      context,
      pageErrors,
      newPage,
      async screenshot(name, target = page) {
        const file = path.join(ARTIFACTS_DIR, `${name}.png`);
        await target.screenshot({ path: file, fullPage: true, animations: 'disabled' });
        const findings = await axeFindings(target, name, 'light');
        await showScheme(target, 'dark');
        const dark = path.join(ARTIFACTS_DIR, `${name}-dark.png`);
        await target.screenshot({ path: dark, fullPage: true, animations: 'disabled' });
        findings.push(...(await axeFindings(target, name, 'dark')));
        await showScheme(target, 'light');
        recordFindings(ARTIFACTS_DIR, findings);
        assertNoSerious(findings);
        return file;
      },
      async close() {
        await openedBrowser.close().catch(() => {});
        await new Promise<void>((resolve) => openedServer.close(() => resolve()));
        await workstation.close();
        fs.rmSync(tempDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await browser?.close().catch(() => {});
    server?.close();
    await workstation.close();
    fs.rmSync(tempDir, { recursive: true, force: true });
    throw err;
  }
}

/** A keychain of this process only, standing in for the OS keychain Electron's safeStorage uses. */
function testKeychain(): Keychain {
  const secret = randomBytes(16);
  return {
    seal: (plain) => Buffer.concat([secret, plain]).toString('base64'),
    open: (sealed) => {
      const bytes = Buffer.from(sealed, 'base64');
      if (!bytes.subarray(0, 16).equals(secret)) throw new Error('sealed by another keychain');
      return bytes.subarray(16);
    },
  };
}
