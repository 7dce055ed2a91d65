import { isAppOriginUrl } from './origin';

/**
 * The renderer's Content-Security-Policy: the same policy as the meta tag in renderer/index.html,
 * also sent as a header with every app:// response. Nothing remote, no eval, no plugins, no
 * framing; 'unsafe-inline' for styles only, because Mantine injects <style> tags at run time.
 */
export const CSP_DIRECTIVES: ReadonlyArray<readonly [string, ...string[]]> = [
  ['default-src', "'none'"],
  ['script-src', "'self'"],
  ['style-src', "'self'", "'unsafe-inline'"],
  ['img-src', "'self'", 'data:'],
  ['font-src', "'self'"],
  ['connect-src', "'none'"],
  ['object-src', "'none'"],
  ['base-uri', "'none'"],
  ['form-action', "'none'"],
  ['frame-ancestors', "'none'"],
];

export const CONTENT_SECURITY_POLICY = CSP_DIRECTIVES.map((d) => d.join(' ')).join('; ');

/** Browsers ignore (and complain about) frame-ancestors in a meta tag: the header carries it. */
export const META_CONTENT_SECURITY_POLICY = CSP_DIRECTIVES.filter(
  ([name]) => name !== 'frame-ancestors',
)
  .map((d) => d.join(' '))
  .join('; ');

/** Electron's WebFrameMain, as far as the sender check needs it. */
export interface SenderFrame {
  readonly url: string;
  /** null for a top-level frame. */
  readonly parent: unknown;
}

/**
 * The IPC sender check: only the top-level frame of a page served from app://custodian/ may call
 * the backend. A sub-frame, a remote page, a destroyed frame (null) or a missing one is refused.
 */
export function isTrustedSender(frame: SenderFrame | null | undefined): boolean {
  if (!frame || typeof frame !== 'object') return false;
  if (frame.parent !== null) return false;
  return isAppOriginUrl(frame.url);
}

/**
 * The navigation rule for will-navigate, will-frame-navigate and will-redirect: only within the
 * app origin. Everything else (http, https, file, javascript:, data:, other hosts) is prevented;
 * the app never opens links in an external browser either.
 */
export function isAllowedNavigation(url: unknown): boolean {
  return isAppOriginUrl(url);
}

/** Requests the session may make at all: its own origin, inline data/blob, DevTools' own pages. */
export function isAllowedRequest(url: unknown): boolean {
  if (isAppOriginUrl(url)) return true;
  if (typeof url !== 'string') return false;
  const scheme = url.slice(0, url.indexOf(':') + 1).toLowerCase();
  return scheme === 'data:' || scheme === 'blob:' || scheme === 'devtools:';
}

/** window.open, target=_blank and middle-click: never a new window, never the system browser. */
export const WINDOW_OPEN_DENIED = { action: 'deny' } as const;
export function windowOpenDecision(): typeof WINDOW_OPEN_DENIED {
  return WINDOW_OPEN_DENIED;
}

/** Camera, microphone, notifications, geolocation, clipboard, HID...: the console needs none. */
export function permissionDecision(): false {
  return false;
}
