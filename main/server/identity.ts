/**
 * The team server's TLS identity: an RSA key and a self-signed certificate that is both the
 * server's certificate (workstations pin its SHA-256 fingerprint) and the authority that signs
 * enrolled workstations' client certificates.
 *
 * node-forge builds and signs the certificates: it is the long-maintained, dependency-free
 * choice that also parses and signs certificate requests (enrolment); @peculiar/x509 needs a
 * global reflect-metadata polyfill, and selfsigned cannot sign a request. Keys come from
 * Node's own crypto (native, fast); fingerprints from Node's X509Certificate.
 */
import { X509Certificate, generateKeyPairSync, randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import forge from 'node-forge';

export interface ServerIdentity {
  keyPem: string;
  certPem: string;
  /** SHA-256 of the certificate, as AA:BB:...; what an administrator reads out. */
  fingerprint: string;
}

export const CERT_DAYS = 825;

export function fingerprintOf(certPem: string): string {
  return new X509Certificate(certPem).fingerprint256;
}

/** Two fingerprints are the same whatever their case, colons or spaces. */
export function sameFingerprint(a: string, b: string): boolean {
  const norm = (s: string) => s.replace(/[^0-9a-f]/gi, '').toUpperCase();
  return norm(a).length === 64 && norm(a) === norm(b);
}

/** A positive, random serial (RFC 5280: at most 20 octets). */
export function randomSerial(): string {
  return `01${randomBytes(15).toString('hex')}`;
}

function altNamesFor(names: readonly string[]) {
  return names.map((n) => (isIP(n) ? { type: 7, ip: n } : { type: 2, value: n }));
}

export function makeServerIdentity(options: {
  /** Host names and addresses workstations use to reach the server. */
  names: readonly string[];
  days?: number;
  modulusLength?: number;
}): ServerIdentity {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: options.modulusLength ?? 3072,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey);
  cert.serialNumber = randomSerial();
  const now = new Date();
  cert.validity.notBefore = new Date(now.getTime() - 60_000);
  cert.validity.notAfter = new Date(now.getTime() + (options.days ?? CERT_DAYS) * 86_400_000);
  const subject = [
    { name: 'commonName', value: options.names[0] ?? 'custodian-server' },
    { name: 'organizationName', value: 'Custodian team server' },
  ];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    // Also the authority of enrolled workstations' certificates, and of nothing below them.
    { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
    {
      name: 'keyUsage',
      digitalSignature: true,
      keyEncipherment: true,
      keyCertSign: true,
      cRLSign: true,
      critical: true,
    },
    { name: 'extKeyUsage', serverAuth: true, clientAuth: true },
    { name: 'subjectAltName', altNames: altNamesFor(options.names) },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(privateKey), forge.md.sha256.create());
  const certPem = forge.pki.certificateToPem(cert);
  return { keyPem: privateKey, certPem, fingerprint: fingerprintOf(certPem) };
}
