/**
 * The workstation's trust in its team server: the certificate the administrator's fingerprint
 * names, and nothing else. The first contact reads the server's certificate without sending a
 * byte of the request and compares its SHA-256 with the pinned fingerprint; from then on TLS
 * verifies the server against exactly that certificate, and every handshake checks the pin again.
 */
import { X509Certificate } from 'node:crypto';
import tls from 'node:tls';

export class PinError extends Error {
  override name = 'PinError';
}

function norm(fp: string): string {
  return fp.replace(/[^0-9a-f]/gi, '').toUpperCase();
}

export function isFingerprint(text: string): boolean {
  return norm(text).length === 64;
}

export function pinMismatchMessage(url: string, seen: string, pinned: string): string {
  return (
    `The team server at ${url} presented a certificate with SHA-256 fingerprint ${seen}, ` +
    `not the ${pinned} this workstation was given, so nothing was sent. Check the server ` +
    'address in Settings → Team server, and ask your administrator to read out the fingerprint ' +
    "'custodian serve --init' prints on the server. If the server's certificate was replaced on " +
    'purpose, enter its new fingerprint.'
  );
}

/** Checks a certificate met in a handshake against the pin; an Error refuses the connection. */
export function checkPinned(
  url: string,
  pinned: string,
  cert: { fingerprint256?: string },
): Error | undefined {
  const seen = cert.fingerprint256 ?? '';
  return norm(seen) === norm(pinned)
    ? undefined
    : new PinError(pinMismatchMessage(url, seen, pinned));
}

/**
 * Reads the server's certificate (TLS 1.3, nothing sent) and answers it as PEM when its
 * fingerprint is the pinned one; a PinError otherwise.
 */
export function fetchPinnedCertificate(
  url: URL,
  pinned: string,
  timeoutMs: number,
  clientAuth?: { certPem: string; keyPem: string },
): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({
      host: url.hostname.replace(/^\[|\]$/g, ''),
      port: Number(url.port || 443),
      minVersion: 'TLSv1.3',
      // The chain cannot be checked before the certificate is known: the pin is the check.
      rejectUnauthorized: false,
      ...(clientAuth ? { cert: clientAuth.certPem, key: clientAuth.keyPem } : {}),
    });
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error('ETIMEDOUT')));
    socket.once('error', reject);
    socket.once('secureConnect', () => {
      const raw = socket.getPeerCertificate().raw;
      socket.end();
      if (!raw) {
        reject(new PinError(`The team server at ${url.origin} presented no certificate.`));
        return;
      }
      const cert = new X509Certificate(raw);
      const refused = checkPinned(url.origin, pinned, cert);
      if (refused) reject(refused);
      else resolve(cert.toString());
    });
  });
}
