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
import { openBackend, type Backend } from '../backend';
import { ConnectionStore } from '../services/connection';
import { keychainSecrets, keychainWrap } from './secrets';
import { databaseKey, keyProblemMessage } from '../app/database-key';
import type { BackendOptions } from '../backend';
import { consoleLogger } from '../log';
import { CONNECTION_FILE, DATABASE_FILE, PRODUCT_NAME } from '../paths';
import type { Session } from '../services/session';
import {
  APP_ENTRY_URL,
  APP_SCHEME,
  APP_SCHEME_PRIVILEGES,
  CONTENT_SECURITY_POLICY,
  SessionRegistry,
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

const log = consoleLogger();

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
let backend: Backend | null = null;
let sessions: SessionRegistry<Session> | null = null;

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
    if (!backend || !sessions) return refused;
    const contents = event.sender;
    const { session: callerSession, isNew } = sessions.sessionFor(contents.id);
    if (isNew) {
      const id = contents.id;
      contents.once('destroyed', () => sessions?.drop(id));
    }
    return backend.invoke(callerSession, channel, input);
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

// --- The import file picker -------------------------------------------------------------------------

/** main asks for the file itself, so the renderer never names a path to read. */
async function chooseImportFile(): Promise<string | null> {
  const options: OpenDialogOptions = {
    title: 'Choose the accounts file to import',
    buttonLabel: 'Choose',
    properties: ['openFile'],
    filters: [{ name: 'CSV files', extensions: ['csv'] }],
  };
  const parent = BrowserWindow.getFocusedWindow() ?? mainWindow;
  const result = parent
    ? await dialog.showOpenDialog(parent, options)
    : await dialog.showOpenDialog(options);
  return result.canceled ? null : (result.filePaths[0] ?? null);
}

// --- Lifecycle --------------------------------------------------------------------------------------

/**
 * The embedded database with its data key, opened by the OS keychain. A new database is sealed
 * by the keychain and by a recovery key; the recovery key is handed to the first-run flow, which
 * shows it once to the first administrator.
 */
async function keyedDatabase(filename: string): Promise<BackendOptions['database'] | null> {
  const keychain = keychainWrap();
  if (!keychain) {
    // No real keychain (Linux basic_text): the start-up passphrase screen is not built yet, so
    // the app refuses rather than keep the key in a wrap anyone can open.
    dialog.showErrorBox(
      `${PRODUCT_NAME} cannot start`,
      `This computer has no OS keychain to protect the database key. Open the database with the command line (custodian --database "${filename}" with its recovery key), or set up the keychain (e.g. GNOME Keyring or KWallet) and start ${PRODUCT_NAME} again.`,
    );
    return null;
  }
  const opened = await databaseKey(filename, {
    create: true,
    unlock: () => Promise.resolve({ kind: 'keychain', keychain }),
    everyday: { keychain },
  });
  if (opened.recoveryKey) showRecoveryKeyOnce(opened.recoveryKey);
  return { client: 'sqlite', filename, key: opened.key };
}

/**
 * A new database's recovery key, shown this once, before the first administrator is created:
 * the person setting the workstation up. It is kept nowhere in clear.
 */
function showRecoveryKeyOnce(recoveryKey: string): void {
  dialog.showMessageBoxSync({
    type: 'warning',
    title: `${PRODUCT_NAME}: recovery key`,
    message: 'Write down the recovery key of this new database',
    detail:
      `${recoveryKey}\n\nIt is shown this once. It opens the database on another computer, ` +
      'after the keychain is lost, and on the command line. Keep it away from this computer.',
    buttons: ['I have written it down'],
  });
}

async function openDatabase(): Promise<Backend | null> {
  const userData = app.getPath('userData');
  const filename = process.env.CUSTODIAN_DB ?? path.join(userData, DATABASE_FILE);
  // The administrator's choice in Settings: the local file, or the team's PostgreSQL server.
  const connection = new ConnectionStore(path.join(userData, CONNECTION_FILE), keychainSecrets());
  try {
    fs.mkdirSync(path.dirname(filename), { recursive: true });
    const location = process.env.CUSTODIAN_DB
      ? { client: 'sqlite' as const, filename }
      : connection.databaseConfig(filename);
    const database =
      location.client === 'sqlite' ? await keyedDatabase(location.filename) : location;
    if (!database) return null;
    // The checkpoint key lives beside the SQLite file (where the CLI looks), or in user data.
    const keyDir = database.client === 'sqlite' ? path.dirname(filename) : userData;
    return await openBackend({
      database,
      logger: log,
      connection,
      keyDir,
      chooseImportFile,
      // Daily, the newest 14 kept, in the backups folder beside the database.
      backups: {},
    });
  } catch (err) {
    // The error text can quote SQL: log its kind only, and tell the user in plain words.
    log.error('database could not be opened', { kind: errorKind(err) });
    // A key problem says which key was tried and what to do next (no value in it).
    const keyProblem = keyProblemMessage(err);
    dialog.showErrorBox(
      `${PRODUCT_NAME} cannot start`,
      keyProblem
        ? `${PRODUCT_NAME} could not open its database:\n\n${filename}\n\n${keyProblem}`
        : `${PRODUCT_NAME} could not open its database:\n\n${filename}\n\n` +
            'Check that this folder exists, that you may write to it and that no other program ' +
            `is using the file, then start ${PRODUCT_NAME} again.`,
    );
    return null;
  }
}

async function start(): Promise<void> {
  app.setAboutPanelOptions({ applicationName: PRODUCT_NAME, applicationVersion: version });
  hardenSession(session.defaultSession);
  protocol.handle(APP_SCHEME, serveApp);
  installMenu();

  const opened = await openDatabase();
  if (!opened) {
    app.exit(1);
    return;
  }
  backend = opened;
  sessions = new SessionRegistry(() => opened.openSession());
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
      if (backend) createWindow(); // macOS: the app was running without a window
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
    if (!backend) return;
    // Close the database before leaving; the second will-quit finds no backend and goes.
    event.preventDefault();
    const closing = backend;
    backend = null;
    sessions = null;
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
