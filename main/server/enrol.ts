/**
 * Enrolment at the server's door: a workstation sends its one-time code and a certificate
 * request made on it (its private key never leaves it); the server checks the code, signs a
 * client certificate with its own key, and records the certificate's serial. From then on the
 * workstation connects with mutual TLS, and every request's certificate is checked against the
 * enrolments (a revoked one is refused at once, on every instance).
 */
import type { TLSSocket } from 'node:tls';
import forge from 'node-forge';
import { z } from 'zod';
import { AppError } from '../../shared/errors';
import type { EnrolmentService } from '../services/enrolments';
import { CERT_DAYS, fingerprintOf, randomSerial, type ServerIdentity } from './identity';

export const enrolRequest = z.strictObject({
  code: z.string().trim().min(8).max(40),
  csrPem: z.string().min(100).max(16_384),
});

export interface IssuedCertificate {
  certPem: string;
  serial: string;
  fingerprint: string;
}

function badRequest(message: string): AppError {
  return new AppError('VALIDATION', message, { fieldErrors: { csrPem: message } });
}

/** Signs a workstation's certificate request as a client certificate of this server. */
export function signWorkstationRequest(
  ca: ServerIdentity,
  csrPem: string,
  enrolmentId: string,
): IssuedCertificate {
  let csr: forge.pki.CertificateSigningRequest;
  try {
    csr = forge.pki.certificationRequestFromPem(csrPem);
  } catch {
    throw badRequest('The certificate request is not a PEM certificate request with an RSA key.');
  }
  if (!csr.verify()) throw badRequest("The certificate request's signature does not verify.");
  const caCert = forge.pki.certificateFromPem(ca.certPem);
  const cert = forge.pki.createCertificate();
  cert.publicKey = csr.publicKey as forge.pki.PublicKey;
  cert.serialNumber = randomSerial();
  const now = new Date();
  cert.validity.notBefore = new Date(now.getTime() - 60_000);
  cert.validity.notAfter = new Date(now.getTime() + CERT_DAYS * 86_400_000);
  // The subject is the enrolment, not whatever the request claimed.
  cert.setSubject([
    { name: 'commonName', value: `custodian-workstation-${enrolmentId}` },
    { name: 'organizationName', value: 'Custodian workstation' },
  ]);
  cert.setIssuer(caCert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', clientAuth: true },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(ca.keyPem), forge.md.sha256.create());
  const certPem = forge.pki.certificateToPem(cert);
  return { certPem, serial: cert.serialNumber.toUpperCase(), fingerprint: fingerprintOf(certPem) };
}

/** Claims a code and answers the signed certificate; the code is spent only once it is signed. */
export async function enrolWorkstation(
  enrolments: EnrolmentService,
  ca: ServerIdentity,
  request: z.infer<typeof enrolRequest>,
  from: string,
): Promise<{ certPem: string }> {
  const claim = await enrolments.claimable(request.code);
  const issued = signWorkstationRequest(ca, request.csrPem, claim.id);
  await enrolments.complete(claim.id, {
    serial: issued.serial,
    fingerprint: issued.fingerprint,
    from,
  });
  return { certPem: issued.certPem };
}

/**
 * The certificate serial of each connection, read once: a TLS 1.3 connection's peer certificate
 * is fixed at its handshake (1.3 has no renegotiation, and the server asks for no post-handshake
 * certificate), and getPeerCertificate builds a large object (about 0.1 ms) every time it is
 * called. Only which certificate a connection holds is kept here; whether its enrolment still
 * stands is asked of the database on every request.
 */
const serials = new WeakMap<TLSSocket, string | null>();

/** The serial of the verified client certificate on a request's connection, if any. */
export function verifiedClientSerial(socket: TLSSocket): string | null {
  if (!socket.authorized) return null;
  let serial = serials.get(socket);
  if (serial === undefined) {
    serial = socket.getPeerCertificate()?.serialNumber?.toUpperCase() || null;
    serials.set(socket, serial);
  }
  return serial;
}
