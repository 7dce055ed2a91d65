// main/electron/main.ts and preload.ts against a fake `electron` module: the Electron binary is not
// installed here, so this checks the wiring (what is registered, with which arguments, and what
// the handlers answer) in plain Node, with the real backend on a temporary SQLite file.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { IPC_INVOKE_CHANNEL } from '../../shared/api';
import type { Result } from '../../shared/errors';
import {
  APP_ENTRY_URL,
  CONTENT_SECURITY_POLICY,
  mainWindowOptions,
  type MainWindowOptions,
} from '../../main/shell';

type Listener = (...args: unknown[]) => unknown;
type Mock = ReturnType<typeof vi.fn>;

// Everything the fake `electron` module is made of is created once, in vi.hoisted, so that every
// fresh import of main.ts (vi.resetModules) talks to the same objects as the assertions.
const fake = vi.hoisted(() => {
  /** A tiny event emitter standing in for Electron's objects. */
  class Emitter {
    readonly listeners = new Map<string, Listener[]>();
    on(event: string, listener: Listener): this {
      this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
      return this;
    }
    once(event: string, listener: Listener): this {
      return this.on(event, listener);
    }
    emit(event: string, ...args: unknown[]): unknown[] {
      return (this.listeners.get(event) ?? []).map((l) => l(...args));
    }
  }

  class FakeSession {
    permissionRequest?: (wc: unknown, permission: string, cb: (granted: boolean) => void) => void;
    permissionCheck?: () => boolean;
    devicePermission?: () => boolean;
    beforeRequest?: (details: { url: string }, cb: (r: { cancel: boolean }) => void) => void;
    setPermissionRequestHandler(h: FakeSession['permissionRequest']) {
      this.permissionRequest = h;
    }
    setPermissionCheckHandler(h: FakeSession['permissionCheck']) {
      this.permissionCheck = h;
    }
    setDevicePermissionHandler(h: FakeSession['devicePermission']) {
      this.devicePermission = h;
    }
    webRequest = {
      onBeforeRequest: (h: FakeSession['beforeRequest']) => {
        this.beforeRequest = h;
      },
    };
  }

  let nextId = 1;
  class FakeWebContents extends Emitter {
    readonly id = nextId++;
    windowOpenHandler?: () => unknown;
    constructor(readonly session: FakeSession) {
      super();
    }
    setWindowOpenHandler(h: () => unknown) {
      this.windowOpenHandler = h;
    }
  }

  interface WindowRecord {
    options: MainWindowOptions;
    url?: string;
    shown: boolean;
  }
  const state = {
    lock: true,
    isPackaged: false,
    userData: '',
    ready: null as null | (() => void),
    windows: [] as WindowRecord[],
  };

  const defaultSession = new FakeSession();
  const app = Object.assign(new Emitter(), {
    enableSandbox: vi.fn(),
    setPath: vi.fn(),
    getPath: vi.fn(() => state.userData),
    requestSingleInstanceLock: vi.fn(() => state.lock),
    whenReady: vi.fn(
      () =>
        new Promise<void>((resolve) => {
          state.ready = resolve;
        }),
    ),
    setAboutPanelOptions: vi.fn(),
    showAboutPanel: vi.fn(),
    quit: vi.fn(),
    exit: vi.fn(),
  });
  // (A getter, defined apart: Object.assign would copy its value once.)
  Object.defineProperty(app, 'isPackaged', { get: () => state.isPackaged });

  class BrowserWindow extends Emitter {
    static getAllWindows = () => state.windows;
    readonly record: WindowRecord;
    readonly webContents = new FakeWebContents(defaultSession);
    constructor(options: MainWindowOptions) {
      super();
      this.record = { options, shown: false };
      state.windows.push(this.record);
      app.emit('web-contents-created', {}, this.webContents);
    }
    loadURL(url: string) {
      this.record.url = url;
      return Promise.resolve();
    }
    show() {
      this.record.shown = true;
    }
    isMinimized() {
      return false;
    }
    focus() {}
    restore() {}
  }

  const electron = {
    app,
    BrowserWindow,
    dialog: { showErrorBox: vi.fn(), showMessageBoxSync: vi.fn(() => 0) },
    // A keychain that works (the database key is sealed by it); its sealing is a stand-in.
    safeStorage: {
      isEncryptionAvailable: () => true,
      getSelectedStorageBackend: () => 'gnome_libsecret',
      encryptString: (text: string) => Buffer.from(text, 'utf8').reverse(),
      decryptString: (sealed: Buffer) => Buffer.from(sealed).reverse().toString('utf8'),
    },
    ipcMain: { handle: vi.fn() },
    Menu: {
      buildFromTemplate: vi.fn((t: unknown) => ({ template: t })),
      setApplicationMenu: vi.fn(),
    },
    protocol: { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() },
    session: { defaultSession },
    contextBridge: { exposeInMainWorld: vi.fn() },
    ipcRenderer: { invoke: vi.fn(async () => 'answer') },
  };
  return { state, electron, Emitter, FakeSession, FakeWebContents };
});

vi.mock('electron', () => fake.electron);

type Emitter = InstanceType<typeof fake.Emitter>;
type FakeSession = InstanceType<typeof fake.FakeSession>;
const { FakeSession, FakeWebContents } = fake;
type FakeWebContents = InstanceType<typeof FakeWebContents>;
type AppMock = Record<
  | 'enableSandbox'
  | 'requestSingleInstanceLock'
  | 'whenReady'
  | 'quit'
  | 'exit'
  | 'setPath'
  | 'showAboutPanel',
  Mock
>;
const mocked = fake.electron as unknown as {
  app: Emitter & AppMock;
  dialog: { showErrorBox: Mock };
  ipcMain: { handle: Mock };
  Menu: { buildFromTemplate: Mock; setApplicationMenu: Mock };
  protocol: { registerSchemesAsPrivileged: Mock; handle: Mock };
  session: { defaultSession: FakeSession };
  contextBridge: { exposeInMainWorld: Mock };
  ipcRenderer: { invoke: Mock };
};

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-electron-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Imports main.ts afresh, as Electron would run it, and lets the app become ready. */
async function startMain(env: { db: string }): Promise<void> {
  vi.resetModules();
  fake.state.windows.length = 0;
  fake.state.userData = path.join(tmp, 'userData');
  process.env.CUSTODIAN_DB = env.db;
  await import('../../main/electron/main');
  fake.state.ready?.();
  await vi.waitFor(
    () => {
      const started = mocked.ipcMain.handle.mock.calls.length > 0;
      const failed = mocked.app.exit.mock.calls.length > 0;
      if (!started && !failed) throw new Error('not started yet');
    },
    { timeout: 20_000, interval: 20 },
  );
}

/** One call through main's IPC handler, from the app's top frame of one window. */
const caller = new FakeWebContents(new FakeSession());
async function ipc(channel: string, input: unknown = {}): Promise<Result<unknown>> {
  const handler = mocked.ipcMain.handle.mock.calls[0]![1] as (
    event: unknown,
    channel: unknown,
    input: unknown,
  ) => Promise<Result<unknown>>;
  const top = { url: 'app://custodian/index.html', parent: null };
  return handler({ sender: caller, senderFrame: top }, channel, input);
}

function listenersOf(emitter: Emitter, event: string): Listener[] {
  return emitter.listeners.get(event) ?? [];
}

beforeEach(() => {
  vi.clearAllMocks();
  mocked.app.listeners.clear();
  fake.state.lock = true;
  fake.state.isPackaged = false;
});
afterEach(async () => {
  // Close whatever backend the run opened, the way Electron quits.
  const event = { preventDefault: vi.fn() };
  for (const l of listenersOf(mocked.app, 'will-quit')) l(event);
  await vi.waitFor(() => {
    if (event.preventDefault.mock.calls.length > 0 && mocked.app.quit.mock.calls.length === 0) {
      throw new Error('still closing');
    }
  });
  delete process.env.CUSTODIAN_DB;
});

describe('main.ts', () => {
  it('registers the app:// scheme and the sandbox before ready, and takes the instance lock', async () => {
    await startMain({ db: path.join(tmp, 'a', 'custodian.sqlite') });
    expect(mocked.protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ]);
    expect(mocked.app.enableSandbox).toHaveBeenCalled();
    expect(mocked.app.requestSingleInstanceLock).toHaveBeenCalled();
    for (const event of ['second-instance', 'web-contents-created', 'will-quit']) {
      expect(listenersOf(mocked.app, event), event).toHaveLength(1);
    }
  });

  it('makes a new database encrypted, sealed by the keychain, and has the window show its recovery key once', async () => {
    const db = path.join(tmp, 'keyed', 'custodian.sqlite');
    await startMain({ db });
    const status = () => ipc('workstation.status');
    expect(await status()).toMatchObject({
      ok: true,
      value: {
        mode: 'embedded',
        state: { kind: 'ready' },
        recoveryKey: expect.stringMatching(/^([0-9a-f]{8}-){7}[0-9a-f]{8}$/),
      },
    });
    expect(await ipc('workstation.recoveryKeyShown')).toMatchObject({
      ok: true,
      value: { recoveryKey: null },
    });
    const keys = JSON.parse(fs.readFileSync(`${db}.keys.json`, 'utf8')) as Record<string, unknown>;
    expect(Object.keys(keys).sort()).toEqual(['format', 'keychain', 'recovery']);
    expect(fs.readFileSync(db).subarray(0, 15).toString('latin1')).not.toBe('SQLite format 3');
    // The next start opens it with the keychain and has nothing to show.
    for (const l of listenersOf(mocked.app, 'will-quit')) l({ preventDefault: vi.fn() });
    await vi.waitFor(() => expect(mocked.app.quit).toHaveBeenCalled());
    vi.clearAllMocks();
    mocked.app.listeners.clear();
    await startMain({ db });
    expect(fake.state.windows).toHaveLength(1);
    expect(await status()).toMatchObject({
      ok: true,
      value: { state: { kind: 'ready' }, recoveryKey: null },
    });
    expect(mocked.dialog.showErrorBox).not.toHaveBeenCalled();
  });

  it('opens one secure window on app://custodian with the shell options', async () => {
    await startMain({ db: path.join(tmp, 'b', 'custodian.sqlite') });
    expect(fake.state.windows).toHaveLength(1);
    const win = fake.state.windows[0]!;
    const preloadPath = path.resolve('main/electron/preload.cjs');
    expect(win.options).toEqual(mainWindowOptions({ preloadPath, devTools: true }));
    expect(win.url).toBe(APP_ENTRY_URL);
    expect(fs.existsSync(path.join(tmp, 'b', 'custodian.sqlite'))).toBe(true);
    expect(mocked.Menu.setApplicationMenu).toHaveBeenCalledTimes(1);
  });

  it('turns DevTools off in a packaged build', async () => {
    fake.state.isPackaged = true;
    await startMain({ db: path.join(tmp, 'c', 'custodian.sqlite') });
    expect(fake.state.windows[0]?.options.webPreferences.devTools).toBe(false);
    const template = mocked.Menu.buildFromTemplate.mock.calls[0]?.[0];
    expect(JSON.stringify(template)).not.toMatch(/viewMenu|devtools/i);
  });

  it('serves app:// through the resolver, with the CSP, refusing traversal and other methods', async () => {
    await startMain({ db: path.join(tmp, 'd', 'custodian.sqlite') });
    const [scheme, handler] = mocked.protocol.handle.mock.calls[0] as [
      string,
      (r: Request) => Promise<Response>,
    ];
    expect(scheme).toBe('app');
    for (const url of ['app://custodian/../package.json', 'app://custodian/%2e%2e/main.ts']) {
      const res = await handler(new Request(url));
      expect(res.status, url).toBe(404);
      expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    }
    const post = await handler(new Request('app://custodian/index.html', { method: 'POST' }));
    expect(post.status).toBe(405);
  });

  it('denies every permission and every remote request on the session', async () => {
    await startMain({ db: path.join(tmp, 'e', 'custodian.sqlite') });
    const ses = mocked.session.defaultSession;
    const granted: boolean[] = [];
    ses.permissionRequest?.({}, 'media', (g) => granted.push(g));
    ses.permissionRequest?.({}, 'notifications', (g) => granted.push(g));
    expect(granted).toEqual([false, false]);
    expect(ses.permissionCheck?.()).toBe(false);
    expect(ses.devicePermission?.()).toBe(false);
    const decisions: boolean[] = [];
    for (const url of ['https://example.com/x.js', 'app://custodian/assets/a.js']) {
      ses.beforeRequest?.({ url }, (r) => decisions.push(r.cancel));
    }
    expect(decisions).toEqual([true, false]);
  });

  it('hardens every webContents: no windows, no navigation away, no webview', async () => {
    await startMain({ db: path.join(tmp, 'f', 'custodian.sqlite') });
    const contents = new FakeWebContents(new FakeSession());
    mocked.app.emit('web-contents-created', {}, contents);
    expect(contents.windowOpenHandler?.()).toEqual({ action: 'deny' });
    for (const event of ['will-navigate', 'will-frame-navigate', 'will-redirect']) {
      const away = { url: 'https://evil.example/', preventDefault: vi.fn() };
      const home = { url: 'app://custodian/index.html', preventDefault: vi.fn() };
      contents.emit(event, away);
      contents.emit(event, home);
      expect(away.preventDefault, event).toHaveBeenCalled();
      expect(home.preventDefault, event).not.toHaveBeenCalled();
    }
    const attach = { preventDefault: vi.fn() };
    contents.emit('will-attach-webview', attach, {}, {});
    expect(attach.preventDefault).toHaveBeenCalled();
    // The new contents' own session got the same handlers.
    expect(contents.session.permissionCheck?.()).toBe(false);
  });

  it('answers IPC only from the app top frame, with one backend session per webContents', async () => {
    await startMain({ db: path.join(tmp, 'g', 'custodian.sqlite') });
    const [channelName, handler] = mocked.ipcMain.handle.mock.calls[0] as [
      string,
      (event: unknown, channel: unknown, input: unknown) => Promise<unknown>,
    ];
    expect(channelName).toBe(IPC_INVOKE_CHANNEL);
    const top = { url: 'app://custodian/index.html', parent: null };
    const a = new FakeWebContents(new FakeSession());
    const b = new FakeWebContents(new FakeSession());
    const event = (sender: FakeWebContents, senderFrame: unknown) => ({ sender, senderFrame });

    for (const frame of [
      { url: 'https://evil.example/', parent: null },
      { url: 'app://custodian/index.html', parent: top },
      null,
    ]) {
      await expect(handler(event(a, frame), 'app.status', {})).resolves.toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN' },
      });
    }

    await expect(handler(event(a, top), 'app.status', {})).resolves.toMatchObject({
      ok: true,
      value: { initialised: false, session: null },
    });
    await expect(handler(event(a, top), 'no.such.channel', {})).resolves.toMatchObject({
      ok: false,
      error: { code: 'UNKNOWN_CHANNEL' },
    });
    await expect(handler(event(b, top), 'accounts.list', {})).resolves.toMatchObject({
      ok: false,
    });
    // Each webContents watches for its own destruction exactly once.
    expect(listenersOf(a, 'destroyed')).toHaveLength(1);
    expect(listenersOf(b, 'destroyed')).toHaveLength(1);
    a.emit('destroyed');
    await handler(event(a, top), 'app.status', {});
    expect(listenersOf(a, 'destroyed')).toHaveLength(2); // a fresh session after destruction
  });

  it('shows the window on ready-to-show and closes the database on will-quit', async () => {
    await startMain({ db: path.join(tmp, 'h', 'custodian.sqlite') });
    expect(fake.state.windows[0]?.shown).toBe(false);
    const event = { preventDefault: vi.fn() };
    for (const l of listenersOf(mocked.app, 'will-quit')) l(event);
    expect(event.preventDefault).toHaveBeenCalledTimes(1);
    await vi.waitFor(() => expect(mocked.app.quit).toHaveBeenCalled());
    // The second will-quit goes through.
    const again = { preventDefault: vi.fn() };
    for (const l of listenersOf(mocked.app, 'will-quit')) l(again);
    expect(again.preventDefault).not.toHaveBeenCalled();
  });

  it('says plainly in the window when the database cannot be opened', async () => {
    const blocker = path.join(tmp, 'not-a-folder');
    fs.writeFileSync(blocker, 'x');
    await startMain({ db: path.join(blocker, 'custodian.sqlite') });
    const answer = await ipc('workstation.status');
    if (!answer.ok) throw new Error('no status');
    const state = (answer.value as { state: { kind: string; message?: string } }).state;
    expect(state.kind).toBe('failed');
    expect(state.message).toContain(path.join(blocker, 'custodian.sqlite'));
    expect(state.message).not.toMatch(/ENOTDIR|EEXIST|SQLITE|Error:|\n\s+at /);
    // The contract's channels say why they cannot answer; nothing crashed.
    expect(await ipc('app.status')).toMatchObject({ ok: false, error: { code: 'NOT_READY' } });
    expect(mocked.app.exit).not.toHaveBeenCalled();
    expect(fake.state.windows).toHaveLength(1);
  });

  it('leaves at once when another instance holds the lock', async () => {
    fake.state.lock = false;
    vi.resetModules();
    await import('../../main/electron/main');
    expect(mocked.app.quit).toHaveBeenCalled();
    expect(mocked.app.whenReady).not.toHaveBeenCalled();
    expect(listenersOf(mocked.app, 'web-contents-created')).toHaveLength(0);
  });
});

describe('preload.ts', () => {
  it('exposes exactly window.custodian.invoke, forwarding to the one IPC channel', async () => {
    vi.resetModules();
    await import('../../main/electron/preload');
    expect(mocked.contextBridge.exposeInMainWorld).toHaveBeenCalledTimes(1);
    const [name, api] = mocked.contextBridge.exposeInMainWorld.mock.calls[0] as [
      string,
      Record<string, (...args: unknown[]) => Promise<unknown>>,
    ];
    expect(name).toBe('custodian');
    expect(Object.keys(api)).toEqual(['invoke']);
    await expect(api.invoke!('app.status', {})).resolves.toBe('answer');
    expect(mocked.ipcRenderer.invoke).toHaveBeenCalledWith(IPC_INVOKE_CHANNEL, 'app.status', {});
  });
});
