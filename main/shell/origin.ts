/**
 * The renderer is served from `app://custodian/...`, a privileged standard scheme registered by
 * main/electron/main.ts, never from file:// (DESIGN.md section 2).
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'custodian';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_INDEX_FILE = 'index.html';
export const APP_ENTRY_URL = `${APP_ORIGIN}/${APP_INDEX_FILE}`;

/** Scheme privileges for protocol.registerSchemesAsPrivileged (before the app is ready). */
export const APP_SCHEME_PRIVILEGES = {
  standard: true,
  secure: true,
  supportFetchAPI: true,
} as const;

/**
 * True only for a URL on exactly the app origin (`app://custodian/...`): parsed, not prefix-
 * matched, so `app://custodian.evil/`, `app://custodian@evil/` or `app://evil/?custodian` fail.
 */
export function isAppOriginUrl(url: unknown): boolean {
  if (typeof url !== 'string' || url.length === 0) return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return (
    parsed.protocol === `${APP_SCHEME}:` &&
    // Chromium lowercases a standard scheme's host; Node's parser keeps it as written.
    parsed.host.toLowerCase() === APP_HOST &&
    parsed.username === '' &&
    parsed.password === '' &&
    (parsed.pathname === '' || parsed.pathname.startsWith('/'))
  );
}
