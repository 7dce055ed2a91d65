/**
 * Disclosure files sealed for their recipient (issue 14): a recipient may be registered with an
 * OpenPGP public key; the file written for them is then an OpenPGP message only their private key
 * opens, and no plaintext copy of it is ever on disk (the rows are encrypted as they stream).
 */
import { createHash } from 'node:crypto';
import * as openpgp from 'openpgp';
import { AppError } from '../../../shared/errors';

export interface RecipientKey {
  /** The armored public key, as stored. */
  armored: string;
  /** Upper-case hex, as OpenPGP tools show it. */
  fingerprint: string;
}

/** Reads and checks an armored public key: one usable for encryption, not a private key. */
export async function parseRecipientKey(armored: string): Promise<RecipientKey> {
  const invalid = (why: string) =>
    new AppError('VALIDATION', `That OpenPGP key cannot be used: ${why}`, {
      fieldErrors: { openpgpKey: why },
    });
  let key: openpgp.Key;
  try {
    key = await openpgp.readKey({ armoredKey: armored.trim() });
  } catch {
    throw invalid(
      'it is not an armored OpenPGP public key (-----BEGIN PGP PUBLIC KEY BLOCK-----).',
    );
  }
  if (key.isPrivate()) {
    throw invalid('it is a private key. Ask the recipient for their public key only.');
  }
  try {
    await key.getEncryptionKey();
  } catch {
    throw invalid('it has no valid key for encryption (expired, revoked, or signing only).');
  }
  return { armored: key.armor(), fingerprint: key.getFingerprint().toUpperCase() };
}

/**
 * Encrypts `plain` (streamed) to `armored`, handing each piece of the sealed message to `write`.
 * Answers the SHA-256 of the plaintext, hashed on the way in.
 */
export async function sealStream(
  plain: AsyncIterable<Uint8Array>,
  armored: string,
  write: (bytes: Uint8Array) => Promise<void>,
): Promise<{ plaintextSha256: string }> {
  const key = await openpgp.readKey({ armoredKey: armored });
  const hash = createHash('sha256');
  async function* hashed(): AsyncGenerator<Uint8Array> {
    for await (const bytes of plain) {
      hash.update(bytes);
      yield bytes;
    }
  }
  const pieces = hashed();
  const input = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await pieces.next();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
  });
  const message = await openpgp.createMessage({ binary: input });
  const sealed = await openpgp.encrypt({ message, encryptionKeys: key, format: 'binary' });
  const reader = (sealed as ReadableStream<Uint8Array>).getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    await write(value);
  }
  return { plaintextSha256: hash.digest('hex') };
}
