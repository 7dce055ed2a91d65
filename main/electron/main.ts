// Electron's main process: wiring only. Every decision (web preferences, CSP, the app:// path
// resolution, the IPC sender check, the navigation rule) is a pure function from main/shell/,
// tested in Node; this file calls them and touches nothing else.
import fs from 'node:fs';
import path from 'node:path';
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  protocol,
  session,
  type OpenDialogOptions,
  type Session as ElectronSession,
  type WebContents,
} from 'electron';
import { IPC_INVOKE_CHANNEL } from '../../shared/api';
import type { AppErrorShape, Result } from '../../shared/errors';
import { keychainWrap } from './secrets';
import { processLogger } from '../log';
import { DATABASE_FILE, PRODUCT_NAME } from '../paths';
import { localClientInfo } from '../services/session';
import { Workstation } from '../workstation/workstation';
import {
  APP_ENTRY_URL,
  APP_SCHEME,
  APP_SCHEME_PRIVILEGES,
  CONTENT_SECURITY_POLICY,
  createMainWindow,
  isAllowedNavigation,
  isAllowedRequest,
  isTrustedSender,
  menuTemplate,
  permissionDecision,
  resolveAppRequest,
  responseHeadersFor,
  windowOpenDecision,
} from '../shell';
import { version } from '../version';

const log = processLogger();

// This file is bundled to dist/main/electron.cjs, next to preload.cjs; Vite builds dist/renderer.
const rendererRoot = path.join(__dirname, '..', 'renderer');
const preloadPath = path.join(__dirname, 'preload.cjs');
const devTools = !app.isPackaged;

// --- Before the app is ready -------------------------------------------------------------------

protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { ...APP_SCHEME_PRIVILEGES } },
]);
// Every renderer is sandboxed, whatever its web preferences say.
app.enableSandbox();

// Tests (and a portable setup) can point the whole profile somewhere else.
if (process.env.CUSTODIAN_USER_DATA) {
  app.setPath('userData', path.resolve(process.env.CUSTODIAN_USER_DATA));
}

let mainWindow: BrowserWindow | null = null;
let workstation: Workstation | null = null;
/** The windows (webContents ids) that have called: each has its own sign-in state. */
const callers = new Set<number>();

// --- Every webContents, whoever creates it ----------------------------------------------------

const hardenedSessions = new WeakSet<ElectronSession>();

/** Permissions are never granted; requests may only reach the app origin (CSP does the same). */
function hardenSession(ses: ElectronSession): void {
  if (hardenedSessions.has(ses)) return;
  hardenedSessions.add(ses);
  ses.setPermissionRequestHandler((_contents, _permission, callback) =>
    callback(permissionDecision()),
  );
  ses.setPermissionCheckHandler(() => permissionDecision());
  ses.setDevicePermissionHandler(() => permissionDecision());
  ses.webRequest.onBeforeRequest((details, callback) => {
    const cancel = !isAllowedRequest(details.url);
    if (cancel) log.info('request blocked', { scheme: schemeOf(details.url) });
    callback({ cancel });
  });
}

/** No new windows, no navigation away from the app, no <webview>, no permissions. */
function hardenWebContents(contents: WebContents): void {
  hardenSession(contents.session);
  contents.setWindowOpenHandler(() => windowOpenDecision());
  const preventUnlessAllowed = (event: { url: string; preventDefault(): void }, kind: string) => {
    if (isAllowedNavigation(event.url)) return;
    event.preventDefault();
    log.info(`${kind} blocked`, { scheme: schemeOf(event.url) });
  };
  contents.on('will-navigate', (event) => preventUnlessAllowed(event, 'navigation'));
  contents.on('will-frame-navigate', (event) => preventUnlessAllowed(event, 'frame navigation'));
  contents.on('will-redirect', (event) => preventUnlessAllowed(event, 'redirect'));
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log.info('webview blocked');
  });
}

/** Only the scheme is logged: a URL could carry anything. */
function schemeOf(url: string): string {
  const colon = url.indexOf(':');
  return colon > 0 && colon < 32 ? url.slice(0, colon) : 'unknown';
}

// --- The renderer, served from app://custodian/ -------------------------------------------------

function plainResponse(status: number, text: string): Response {
  return new Response(text, {
    status,
    headers: {
      'Content-Type': 'text/plain; charset=utf-8',
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
    },
  });
}

async function serveApp(request: Request): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return plainResponse(405, 'Method not allowed');
  }
  const file = resolveAppRequest(request.url, rendererRoot);
  if (!file) return plainResponse(404, 'Not found');
  let body: Buffer;
  try {
    body = await fs.promises.readFile(file);
  } catch {
    return plainResponse(404, 'Not found');
  }
  return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
    status: 200,
    headers: responseHeadersFor(file),
  });
}

// --- IPC: one channel into the backend's dispatcher ---------------------------------------------

const refused: Result<never> = {
  ok: false,
  error: {
    code: 'FORBIDDEN',
    message: 'This window may not call Custodian.',
  } satisfies AppErrorShape,
};

function registerIpc(): void {
  ipcMain.handle(IPC_INVOKE_CHANNEL, async (event, channel: unknown, input: unknown) => {
    if (!isTrustedSender(event.senderFrame)) {
      log.error('ipc refused: untrusted sender', { webContents: event.sender.id });
      return refused;
    }
    if (!workstation) return refused;
    const contents = event.sender;
    if (!callers.has(contents.id)) {
      const id = contents.id;
      callers.add(id);
      contents.once('destroyed', () => {
        callers.delete(id);
        workstation?.forget(id);
      });
    }
    return workstation.invoke(contents.id, channel, input);
  });
}

// --- Windows and the menu ------------------------------------------------------------------------

function createWindow(): void {
  const win = createMainWindow(BrowserWindow, { preloadPath, devTools });
  mainWindow = win;
  win.once('ready-to-show', () => win.show());
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null;
  });
  win.loadURL(APP_ENTRY_URL).catch((err: unknown) => {
    log.error('renderer failed to load', { kind: errorKind(err) });
  });
}

function installMenu(): void {
  const template = menuTemplate({
    platform: process.platform,
    devTools,
    onAbout: () => app.showAboutPanel(),
  });
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

function errorKind(err: unknown): string {
  if (err && typeof err === 'object') {
    const { code, name } = err as { code?: unknown; name?: unknown };
    if (typeof code === 'string') return code;
    if (typeof name === 'string') return name;
  }
  return 'unknown';
}

// --- File pickers -----------------------------------------------------------------------------------

/** main asks for a file itself, so the renderer never names a path to read. */
async function chooseFile(
  title: string,
  buttonLabel: string,
  filter: { name: string; extensions: string[] },
): Promise<string | null> {
  const options: OpenDialogOptions = {
    title,
    buttonLabel,
    properties: ['openFile'],
    filters: [filter],
  };
  const parent = BrowserWindow.getFocusedWindow() ?? mainWindow;
  const result = parent
    ? await dialog.showOpenDialog(parent, options)
    : await dialog.showOpenDialog(options);
  return result.canceled ? null : (result.filePaths[0] ?? null);
}

const chooseImportFile = () =>
  chooseFile('Choose the accounts file to import', 'Choose', {
    name: 'CSV files',
    extensions: ['csv'],
  });
const chooseBackupFile = () =>
  chooseFile('Choose the backup to restore', 'Check this backup', {
    name: 'Custodian backups',
    extensions: ['sqlite'],
  });

// --- Lifecycle --------------------------------------------------------------------------------------

/**
 * The workstation: the embedded database (opened by the OS keychain, or by the passphrase or
 * recovery key typed on the start screen) or the team server it is enrolled with. A new
 * database's recovery key is shown once by the renderer's start screen.
 */
async function openWorkstation(): Promise<Workstation> {
  const userData = app.getPath('userData');
  const filename = process.env.CUSTODIAN_DB ?? path.join(userData, DATABASE_FILE);
  return Workstation.start({
    userData,
    databaseFile: filename,
    embeddedOnly: Boolean(process.env.CUSTODIAN_DB),
    keychain: keychainWrap(),
    client: localClientInfo(version),
    logger: log,
    chooseImportFile,
    chooseBackupFile,
    // The checkpoint key lives beside the database (where the CLI looks); daily backups, the
    // newest 14 kept, in the backups folder beside it.
    embedded: { keyDir: path.dirname(filename), backups: {} },
  });
}

async function start(): Promise<void> {
  app.setAboutPanelOptions({ applicationName: PRODUCT_NAME, applicationVersion: version });
  hardenSession(session.defaultSession);
  protocol.handle(APP_SCHEME, serveApp);
  installMenu();

  workstation = await openWorkstation();
  registerIpc();
  createWindow();

  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
}

if (!app.requestSingleInstanceLock()) {
  // Another Custodian is running on this profile: it gets focused (below), this one leaves.
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!mainWindow) {
      if (workstation) createWindow(); // macOS: the app was running without a window
      return;
    }
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.show();
    mainWindow.focus();
  });
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('will-quit', (event) => {
    if (!workstation) return;
    // Close the database before leaving; the second will-quit finds none and goes.
    event.preventDefault();
    const closing = workstation;
    workstation = null;
    closing
      .close()
      .catch((err: unknown) => log.error('database close failed', { kind: errorKind(err) }))
      .finally(() => app.quit());
  });
  app
    .whenReady()
    .then(start)
    .catch((err: unknown) => {
      log.error('startup failed', { kind: errorKind(err) });
      dialog.showErrorBox(`${PRODUCT_NAME} cannot start`, `${PRODUCT_NAME} failed to start.`);
      app.exit(1);
    });
}
