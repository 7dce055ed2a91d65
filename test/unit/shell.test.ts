import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  APP_ENTRY_URL,
  APP_ORIGIN,
  APP_SCHEME_PRIVILEGES,
  CONTENT_SECURITY_POLICY,
  META_CONTENT_SECURITY_POLICY,
  WINDOW_OPEN_DENIED,
  contentTypeFor,
  createMainWindow,
  isAllowedNavigation,
  isAllowedRequest,
  isAppOriginUrl,
  isTrustedSender,
  mainWindowOptions,
  menuTemplate,
  permissionDecision,
  resolveAppRequest,
  responseHeadersFor,
  webPreferencesFor,
  windowOpenDecision,
  type MainWindowOptions,
  type MenuItemTemplate,
} from '../../main/shell';

describe('webPreferencesFor', () => {
  const prefs = webPreferencesFor('/app/dist/main/preload.cjs');

  it('applies the whole Electron security checklist', () => {
    expect(prefs).toMatchObject({
      preload: '/app/dist/main/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      plugins: false,
      enableWebSQL: false,
      spellcheck: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      disableBlinkFeatures: 'Auxclick',
    });
  });

  it('enables no Blink feature and no remote module, and keeps DevTools off by default', () => {
    expect(prefs).not.toHaveProperty('enableBlinkFeatures');
    expect(prefs).not.toHaveProperty('enableRemoteModule');
    expect(prefs).not.toHaveProperty('additionalArguments');
    expect(prefs).not.toHaveProperty('partition');
    expect(prefs.devTools).toBe(false);
    expect(webPreferencesFor('/p', true).devTools).toBe(true);
  });

  it('is exactly what createMainWindow hands to the BrowserWindow constructor', () => {
    const seen: MainWindowOptions[] = [];
    class FakeBrowserWindow {
      constructor(options: MainWindowOptions) {
        seen.push(options);
      }
    }
    const win = createMainWindow(FakeBrowserWindow, { preloadPath: '/p.cjs', devTools: false });
    expect(win).toBeInstanceOf(FakeBrowserWindow);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toEqual(mainWindowOptions({ preloadPath: '/p.cjs', devTools: false }));
    expect(seen[0]?.webPreferences).toEqual(webPreferencesFor('/p.cjs'));
  });

  it('opens a 1280x800 window titled Custodian, hidden until ready-to-show', () => {
    const options = mainWindowOptions({ preloadPath: '/p.cjs', devTools: false });
    expect(options).toMatchObject({ width: 1280, height: 800, show: false, title: 'Custodian' });
  });
});

describe('CONTENT_SECURITY_POLICY', () => {
  const directives = new Map(
    CONTENT_SECURITY_POLICY.split(';').map((d) => {
      const [name, ...values] = d.trim().split(/\s+/);
      return [name, values] as const;
    }),
  );

  it('is the strict policy', () => {
    expect(CONTENT_SECURITY_POLICY).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
        "img-src 'self' data:; font-src 'self'; connect-src 'none'; object-src 'none'; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
  });

  it('allows no eval, no inline script, no remote origin', () => {
    expect(directives.get('default-src')).toEqual(["'none'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('connect-src')).toEqual(["'none'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    for (const values of directives.values()) {
      for (const value of values) {
        expect(value).not.toMatch(/unsafe-eval|wasm-unsafe-eval|^https?:|^\*$|^ws/);
      }
    }
  });

  it('is the same policy as the meta tag of renderer/index.html, less the header-only frame-ancestors', () => {
    const html = fs.readFileSync(path.resolve('renderer/index.html'), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]*)"/i.exec(html);
    expect(meta?.[1]).toBe(META_CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).toBe(`${META_CONTENT_SECURITY_POLICY}; frame-ancestors 'none'`);
  });
});

describe('resolveAppRequest', () => {
  let root: string;
  let outside: string;

  beforeAll(() => {
    const base = fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-shell-'));
    root = path.join(base, 'renderer');
    outside = path.join(base, 'secret.txt');
    fs.mkdirSync(path.join(root, 'assets'), { recursive: true });
    fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html>');
    fs.writeFileSync(path.join(root, 'assets', 'index-abc123.js'), '');
    fs.writeFileSync(outside, 'do not serve');
  });
  afterAll(() => fs.rmSync(path.dirname(root), { recursive: true, force: true }));

  it('serves index.html for the origin and for /', () => {
    expect(resolveAppRequest('app://custodian/', root)).toBe(path.join(root, 'index.html'));
    expect(resolveAppRequest('app://custodian', root)).toBe(path.join(root, 'index.html'));
    expect(resolveAppRequest(APP_ENTRY_URL, root)).toBe(path.join(root, 'index.html'));
    expect(resolveAppRequest('app://custodian/?x=1#top', root)).toBe(path.join(root, 'index.html'));
  });

  it('maps asset paths inside the root, ignoring query and fragment', () => {
    const asset = path.join(root, 'assets', 'index-abc123.js');
    expect(resolveAppRequest('app://custodian/assets/index-abc123.js', root)).toBe(asset);
    expect(resolveAppRequest('app://custodian/assets/index-abc123.js?v=2', root)).toBe(asset);
    expect(resolveAppRequest('app://custodian/assets/index-abc123.js#x', root)).toBe(asset);
    expect(resolveAppRequest('APP://CUSTODIAN/assets/index-abc123.js', root)).toBe(asset);
    // Percent-encoded ordinary characters are decoded.
    expect(resolveAppRequest('app://custodian/assets/my%20font.woff2', root)).toBe(
      path.join(root, 'assets', 'my font.woff2'),
    );
    // A relative root is resolved.
    expect(resolveAppRequest('app://custodian/index.html', 'dist/renderer')).toBe(
      path.resolve('dist/renderer/index.html'),
    );
  });

  const traversals = [
    // plain parent segments
    'app://custodian/../secret.txt',
    'app://custodian/../../../../etc/passwd',
    'app://custodian/assets/../../secret.txt',
    'app://custodian/assets/../index.html',
    'app://custodian/./index.html',
    'app://custodian/assets/.',
    'app://custodian/assets/..',
    // percent-encoded dots and separators, in every case
    'app://custodian/%2e%2e/secret.txt',
    'app://custodian/%2E%2E/secret.txt',
    'app://custodian/%2e./secret.txt',
    'app://custodian/.%2e/secret.txt',
    'app://custodian/%2e%2e%2fsecret.txt',
    'app://custodian/%2e%2e%2Fsecret.txt',
    'app://custodian/assets%2f..%2f..%2fsecret.txt',
    'app://custodian/..%2fsecret.txt',
    'app://custodian/..%5csecret.txt',
    'app://custodian/%2e%2e%5c%2e%2e%5csecret.txt',
    'app://custodian/assets/%2e',
    // backslashes, raw and encoded
    'app://custodian/..\\secret.txt',
    'app://custodian/assets\\..\\..\\secret.txt',
    'app://custodian\\..\\secret.txt',
    'app://custodian/%5c%5cserver%5cshare',
    // absolute paths and drive letters
    'app://custodian//etc/passwd',
    'app://custodian///etc/passwd',
    'app://custodian/%2fetc%2fpasswd',
    'app://custodian/%2Fetc/passwd',
    'app://custodian/C:/Windows/win.ini',
    'app://custodian/C%3a%5cWindows%5cwin.ini',
    'app://custodian/c:%2fWindows',
    // NUL bytes and control characters
    'app://custodian/index.html%00.png',
    'app://custodian/index.html\u0000.png',
    'app://custodian/%00',
    'app://custodian/assets/%0a../secret.txt',
    'app://custodian/ass\tets/index-abc123.js',
    'app://custodian/assets/\n../../secret.txt',
    // malformed escapes
    'app://custodian/%',
    'app://custodian/%zz',
    'app://custodian/%e0%a4%a',
    // Windows name tricks, dot files, trailing slashes
    'app://custodian/...',
    'app://custodian/index.html.',
    'app://custodian/index.html ',
    'app://custodian/index.html%20',
    'app://custodian/.env',
    'app://custodian/assets/',
  ];
  it.each(traversals)('refuses %j', (url) => {
    expect(resolveAppRequest(url, root)).toBeNull();
  });

  const foreign = [
    'file:///etc/passwd',
    'http://custodian/index.html',
    'https://custodian/index.html',
    'app://evil/index.html',
    'app://custodian.evil/index.html',
    'app://custodian.evil.com/index.html',
    'app://evil.custodian/index.html',
    'app://custodian@evil/index.html',
    'app://evil@custodian/index.html',
    'app://custodian:80/index.html',
    'app://custodian:/index.html',
    'app:///index.html',
    'app:index.html',
    'app:/custodian/index.html',
    'xapp://custodian/index.html',
    ' app://custodian/index.html',
    'javascript:alert(1)',
    '',
    'app://custodian/' + 'a'.repeat(3000),
  ];
  it.each(foreign)('refuses the foreign URL %j', (url) => {
    expect(resolveAppRequest(url, root)).toBeNull();
  });

  it('refuses non-strings', () => {
    expect(resolveAppRequest(undefined as unknown as string, root)).toBeNull();
    expect(resolveAppRequest(null as unknown as string, root)).toBeNull();
  });

  it('never returns a path outside the root, for any request in a fuzzed corpus', () => {
    const pieces = [
      '..',
      '.',
      '%2e',
      '%2E',
      '%2f',
      '%5c',
      '/',
      '\\',
      'assets',
      'index.html',
      '%00',
    ];
    const pieces2 = [...pieces, '%252e', 'secret.txt', ':', 'C:', '%3a', ''];
    let served = 0;
    for (const a of pieces2) {
      for (const b of pieces2) {
        for (const c of pieces2) {
          const url = `app://custodian/${a}${b}/${c}`;
          const file = resolveAppRequest(url, root);
          if (file === null) continue;
          served += 1;
          const relative = path.relative(root, file);
          expect(relative.startsWith('..'), url).toBe(false);
          expect(path.isAbsolute(relative), url).toBe(false);
          expect(relative.split(path.sep)).not.toContain('..');
          expect(file).not.toBe(outside);
        }
      }
    }
    expect(served).toBeGreaterThan(0);
  });
});

describe('contentTypeFor and responseHeadersFor', () => {
  it('knows the renderer file types', () => {
    expect(contentTypeFor('/r/index.html')).toBe('text/html; charset=utf-8');
    expect(contentTypeFor('/r/assets/index-1.js')).toBe('text/javascript; charset=utf-8');
    expect(contentTypeFor('/r/assets/index-1.CSS')).toBe('text/css; charset=utf-8');
    expect(contentTypeFor('/r/assets/logo.svg')).toBe('image/svg+xml');
    expect(contentTypeFor('/r/assets/logo.png')).toBe('image/png');
    expect(contentTypeFor('/r/assets/inter.woff2')).toBe('font/woff2');
    expect(contentTypeFor('/r/assets/index-1.js.map')).toBe('application/json; charset=utf-8');
  });

  it('serves anything else as opaque bytes', () => {
    expect(contentTypeFor('/r/README')).toBe('application/octet-stream');
    expect(contentTypeFor('/r/x.exe')).toBe('application/octet-stream');
  });

  it('sends the CSP and no-sniff with every file', () => {
    expect(responseHeadersFor('/r/index.html')).toEqual({
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-store',
    });
  });
});

describe('the app origin', () => {
  it('registers app:// as a standard, secure scheme with fetch support', () => {
    expect(APP_ORIGIN).toBe('app://custodian');
    expect(APP_SCHEME_PRIVILEGES).toEqual({ standard: true, secure: true, supportFetchAPI: true });
    expect(APP_SCHEME_PRIVILEGES).not.toHaveProperty('bypassCSP');
    expect(APP_SCHEME_PRIVILEGES).not.toHaveProperty('corsEnabled');
  });

  it('matches exactly app://custodian', () => {
    expect(isAppOriginUrl('app://custodian/index.html')).toBe(true);
    expect(isAppOriginUrl('app://custodian/')).toBe(true);
    expect(isAppOriginUrl('app://custodian')).toBe(true);
    for (const url of [
      'app://custodian.evil/',
      'app://custodian@evil/',
      'app://evil@custodian/',
      'app://custodian:1234/',
      'app://evil/?app://custodian/',
      'https://custodian/',
      'file:///custodian/',
      'app:///custodian/',
      'not a url',
      '',
    ]) {
      expect(isAppOriginUrl(url), url).toBe(false);
    }
    expect(isAppOriginUrl(undefined)).toBe(false);
    expect(isAppOriginUrl(42)).toBe(false);
  });
});

describe('isTrustedSender', () => {
  it('trusts the top frame of an app:// page only', () => {
    expect(isTrustedSender({ url: 'app://custodian/index.html', parent: null })).toBe(true);
    expect(isTrustedSender({ url: 'app://custodian/index.html#/accounts', parent: null })).toBe(
      true,
    );
  });

  it('refuses sub-frames, even on the app origin', () => {
    const top = { url: 'app://custodian/index.html', parent: null };
    expect(isTrustedSender({ url: 'app://custodian/index.html', parent: top })).toBe(false);
  });

  it('refuses other origins and missing frames', () => {
    for (const url of [
      'https://evil.example/',
      'http://localhost:5173/',
      'file:///work/dist/renderer/index.html',
      'app://evil/index.html',
      'app://custodian.evil/index.html',
      'devtools://devtools/bundled/devtools_app.html',
      'about:blank',
      'data:text/html,<script>1</script>',
      '',
    ]) {
      expect(isTrustedSender({ url, parent: null }), url).toBe(false);
    }
    expect(isTrustedSender(null)).toBe(false);
    expect(isTrustedSender(undefined)).toBe(false);
    expect(isTrustedSender({ url: undefined, parent: null } as never)).toBe(false);
    // A frame object without a parent field is not assumed to be a top frame.
    expect(isTrustedSender({ url: 'app://custodian/' } as never)).toBe(false);
  });
});

describe('isAllowedNavigation and isAllowedRequest', () => {
  it('allows navigation within the app origin only', () => {
    expect(isAllowedNavigation('app://custodian/index.html')).toBe(true);
    for (const url of [
      'https://example.com/',
      'http://127.0.0.1:8080/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'data:text/html,hi',
      'about:blank',
      'app://evil/',
      'app://custodian.evil/',
      'mailto:someone@example.com',
      'custodian://x',
      '',
    ]) {
      expect(isAllowedNavigation(url), url).toBe(false);
    }
    expect(isAllowedNavigation(undefined)).toBe(false);
  });

  it('lets requests reach the app origin, inline data and DevTools, nothing remote', () => {
    expect(isAllowedRequest('app://custodian/assets/x.js')).toBe(true);
    expect(isAllowedRequest('data:image/png;base64,AAAA')).toBe(true);
    expect(isAllowedRequest('blob:app://custodian/1234')).toBe(true);
    expect(isAllowedRequest('devtools://devtools/bundled/x.js')).toBe(true);
    for (const url of [
      'https://fonts.googleapis.com/css',
      'http://localhost/',
      'ws://localhost/',
      'file:///etc/passwd',
      'app://evil/x.js',
      'ftp://x/',
      '',
    ]) {
      expect(isAllowedRequest(url), url).toBe(false);
    }
  });

  it('denies every new window and every permission', () => {
    expect(windowOpenDecision()).toEqual({ action: 'deny' });
    expect(WINDOW_OPEN_DENIED).toEqual({ action: 'deny' });
    expect(permissionDecision()).toBe(false);
  });
});

describe('menuTemplate', () => {
  const roles = (items: MenuItemTemplate[]): string[] =>
    items.flatMap((i) => [...(i.role ? [i.role] : []), ...roles(i.submenu ?? [])]);

  it('has the usual menus, with the app menu on macOS only', () => {
    const onAbout = () => {};
    const mac = menuTemplate({ platform: 'darwin', devTools: false, onAbout });
    const linux = menuTemplate({ platform: 'linux', devTools: false, onAbout });
    expect(mac[0]?.role).toBe('appMenu');
    expect(roles(linux)).not.toContain('appMenu');
    for (const template of [mac, linux]) {
      expect(roles(template)).toEqual(
        expect.arrayContaining(['fileMenu', 'editMenu', 'windowMenu', 'help']),
      );
    }
  });

  it('offers no DevTools toggle in a packaged build', () => {
    const packaged = menuTemplate({ platform: 'linux', devTools: false, onAbout: () => {} });
    expect(roles(packaged)).not.toContain('viewMenu'); // Electron's viewMenu carries the toggle
    expect(JSON.stringify(packaged)).not.toMatch(/devtools/i);
    const dev = menuTemplate({ platform: 'linux', devTools: true, onAbout: () => {} });
    expect(roles(dev)).toContain('viewMenu');
  });

  it('has an About item that calls back', () => {
    let called = 0;
    const template = menuTemplate({ platform: 'win32', devTools: false, onAbout: () => called++ });
    const help = template.find((i) => i.role === 'help');
    help?.submenu?.[0]?.click?.();
    expect(called).toBe(1);
  });
});
