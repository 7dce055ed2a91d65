/**
 * Restore notes, beside each witness (issue 14). A deliberate restore takes the disclosure log
 * back to the backup's head, so records the witnesses saw are gone. Hiding that would let a
 * restore erase disclosures; reporting it as an unexplained rollback forever would make a
 * legitimate restore indistinguishable from tampering. So the restore moves the witness back and
 * appends a note, signed with the audit key, of what the witness had seen, when and by whom:
 * verification then names the records the restore took away, every time it runs.
 */
import { createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import { publicKeyPem } from './checkpoint';

export interface RestoreNote {
  databaseId: string;
  restoredAt: string;
  /** Who restored: a staff id, or how (the command line). */
  by: string;
  /** The head the witness had seen, which the restore took away. */
  lostSeq: number;
  lostHash: string;
  /** The restored log's head. */
  restoredSeq: number;
  publicKey: string;
  signature: string;
}

type Body = Omit<RestoreNote, 'publicKey' | 'signature'>;

function payload(n: Body): Buffer {
  return Buffer.from(
    JSON.stringify([
      'custodian-restore-note',
      n.databaseId,
      n.restoredAt,
      n.by,
      n.lostSeq,
      n.lostHash,
      n.restoredSeq,
    ]),
    'utf8',
  );
}

export function notesFileFor(witnessFile: string): string {
  return witnessFile.replace(/\.witness\.json$/, '.restores.json');
}

export function signNote(body: Body, key: KeyObject): RestoreNote {
  return {
    ...body,
    publicKey: publicKeyPem(key),
    signature: sign(null, payload(body), key).toString('base64'),
  };
}

export function readNotes(file: string): RestoreNote[] | 'unreadable' {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT' ? [] : 'unreadable';
  }
  try {
    const notes = JSON.parse(text) as unknown;
    return Array.isArray(notes) ? (notes as RestoreNote[]) : 'unreadable';
  } catch {
    return 'unreadable';
  }
}

/** Whether a note was signed by this installation's audit key for this database. */
export function noteVerifies(note: RestoreNote, key: KeyObject, databaseId: string): boolean {
  return (
    note.databaseId === databaseId &&
    note.publicKey === publicKeyPem(key) &&
    typeof note.signature === 'string' &&
    verify(null, payload(note), createPublicKey(key), Buffer.from(note.signature, 'base64'))
  );
}

export function describeNote(note: RestoreNote): string {
  const lost =
    note.lostSeq === note.restoredSeq + 1
      ? `record ${note.lostSeq}`
      : `records ${note.restoredSeq + 1} to ${note.lostSeq}`;
  return `A backup was restored on ${note.restoredAt} by ${note.by}: ${lost}, witnessed before, are not in this database.`;
}
