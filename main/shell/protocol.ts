import path from 'node:path';
import { APP_HOST, APP_INDEX_FILE, APP_SCHEME } from './origin';
import { CONTENT_SECURITY_POLICY } from './security';

const APP_URL = new RegExp(`^${APP_SCHEME}://${APP_HOST}(/[^?#]*)?(?:[?#].*)?$`, 'i');

/** The decoded path segments of an app:// request, or null for anything refused. */
function appPathSegments(url: string): string[] | null {
  if (typeof url !== 'string' || url.length === 0 || url.length > 2048) return null;
  // Refuse before anything else: a URL parser would silently turn `\` into `/`, drop tabs and
  // newlines, and resolve `..` segments; here they are simply not served.
  // eslint-disable-next-line no-control-regex
  if (/[\\\u0000-\u001f\u007f]/.test(url)) return null;
  // Exactly our origin: no other scheme or host, no user info, no port, no look-alike host.
  const match = APP_URL.exec(url);
  if (!match) return null;

  // The path exactly as the request carried it (not a parser's normalised form), so that
  // `..` and `.` are refused rather than quietly resolved.
  const rawPath = match[1] ?? '/';
  if (rawPath === '/') return [APP_INDEX_FILE];

  const segments: string[] = [];
  for (const raw of rawPath.slice(1).split('/')) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return null; // malformed percent-encoding
    }
    // An empty segment is `//` (an absolute path) or a trailing slash: refuse.
    if (segment === '' || segment === '.' || segment === '..') return null;
    // Dot files are never renderer assets, and Windows silently trims trailing dots and spaces
    // (`...` or `index.html.` would name something else than they say): refuse them all.
    if (segment.startsWith('.') || segment.endsWith('.') || segment.endsWith(' ')) return null;
    // Decoded separators, drive letters, NULs and control characters never name a renderer file.
    // eslint-disable-next-line no-control-regex
    if (/[/\\:\u0000-\u001f\u007f]/.test(segment)) return null;
    segments.push(segment);
  }
  return segments;
}

/**
 * Maps an `app://custodian/...` request to an absolute file path inside `rendererRoot`, or null
 * when the request names anything else: another scheme or host, a parent folder (`..`, also
 * percent-encoded), a backslash, an absolute path, a NUL byte, malformed escapes. `/` serves
 * index.html. The query string and fragment are ignored.
 */
export function resolveAppRequest(url: string, rendererRoot: string): string | null {
  const segments = appPathSegments(url);
  if (!segments) return null;
  const root = path.resolve(rendererRoot);
  const file = path.resolve(root, ...segments);
  // Belt and braces: whatever the segments were, the result must stay strictly inside the root.
  const relative = path.relative(root, file);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return null;
  return file;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
};

/** The Content-Type for a renderer file; unknown kinds are opaque bytes (and never sniffed). */
export function contentTypeFor(filePath: string): string {
  return CONTENT_TYPES[path.extname(filePath).toLowerCase()] ?? 'application/octet-stream';
}

/** The headers every app:// response carries: its type, the CSP, and no MIME sniffing. */
export function responseHeadersFor(filePath: string): Record<string, string> {
  return {
    'Content-Type': contentTypeFor(filePath),
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-store',
  };
}
