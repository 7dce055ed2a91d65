/**
 * The workstation's half of enrolment: a key pair made here (the private key never leaves this
 * machine; the Electron shell seals it with the OS keychain) and a certificate request for it.
 */
import { generateKeyPairSync } from 'node:crypto';
import forge from 'node-forge';

export interface WorkstationKey {
  keyPem: string;
  csrPem: string;
}

export function makeWorkstationKey(label: string, modulusLength = 3072): WorkstationKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });
  const csr = forge.pki.createCertificationRequest();
  csr.publicKey = forge.pki.publicKeyFromPem(publicKey);
  csr.setSubject([{ name: 'commonName', value: label.slice(0, 64) || 'workstation' }]);
  csr.sign(forge.pki.privateKeyFromPem(privateKey), forge.md.sha256.create());
  return { keyPem: privateKey, csrPem: forge.pki.certificationRequestToPem(csr) };
}
