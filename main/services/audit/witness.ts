import { createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { WitnessCheck } from '../../../shared/types';
import type { ChainStore } from '../../db/stores/disclosures-chain';
import type { Tx } from '../../db/stores/scope';
import { checkHeadSeen, publicKeyPem } from './checkpoint';
import { syncFolder } from '../../fsync';
import { describeNote, noteVerifies, notesFileFor, readNotes, signNote } from './restore-notes';

/**
 * Witnesses of the disclosure log (issue 12, section 4). The chain's hashes are not keyed: whoever
 * can write the database can change a record and recompute every later hash and the head. So
 * after every record commits, its seq and hash are signed with the audit key (kept outside the
 * database) and written to witness files outside the database folder. A verification then
 * checks the chain still holds each witnessed record exactly: a rewrite, a truncation or a
 * rollback of the whole database to an older copy is caught at the next verification, not only
 * by a checkpoint someone remembered to save. (Certificate Transparency's signed tree heads held
 * by witnesses are the model.)
 */
export interface Witness {
  chain: 'disclosures';
  databaseId: string;
  seq: number;
  hash: string;
  createdAt: string;
  publicKey: string;
  signature: string;
}

type Body = Omit<Witness, 'publicKey' | 'signature'>;

function payload(w: Body): Buffer {
  return Buffer.from(
    JSON.stringify(['custodian-witness', w.databaseId, w.chain, w.seq, w.hash, w.createdAt]),
    'utf8',
  );
}

function witnessFile(dir: string, databaseId: string): string {
  return path.join(dir, `disclosures-${databaseId}.witness.json`);
}

function readWitness(file: string): Witness | null | 'unreadable' {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT' ? null : 'unreadable';
  }
  try {
    const w = JSON.parse(text) as Partial<Witness>;
    if (typeof w.seq !== 'number' || typeof w.hash !== 'string') return 'unreadable';
    return w as Witness;
  } catch {
    return 'unreadable';
  }
}

/** Replaces the file in one step (temp, fsync, rename, fsync the folder). */
async function writeAtomically(file: string, text: string): Promise<void> {
  const dir = path.dirname(file);
  await fsp.mkdir(dir, { recursive: true, mode: 0o700 });
  const temp = `${file}.${process.pid}.tmp`;
  const handle = await fsp.open(temp, 'w', 0o600);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fsp.rename(temp, file);
  await syncFolder(dir);
}

export class WitnessLog {
  private queue: Promise<void> = Promise.resolve();
  private identity: string | undefined;

  constructor(
    private readonly chain: ChainStore,
    private readonly key: () => KeyObject,
    /** Every folder a witness is written to and looked for in. */
    readonly dirs: readonly string[],
    private readonly clock: { now(): Date },
    private readonly onError: (err: unknown) => void,
  ) {}

  /**
   * Witnesses a record once its transaction has committed (a rolled-back record is never
   * witnessed, or the next verification would report a truncation that never happened).
   */
  afterCommit(trx: Tx, head: { seq: number | string; hash: string }): void {
    const seen = { seq: Number(head.seq), hash: head.hash };
    trx.executionPromise.then(
      () => this.enqueue(() => this.write(seen)),
      () => undefined,
    );
  }

  /** Waits for every witness queued so far to be on disk. */
  flush(): Promise<void> {
    return this.queue;
  }

  /**
   * At start-up: a database whose log has records but no witness in any folder (made before
   * witnesses existed, or its witness folder is new) gets one for its current head.
   */
  async ensure(): Promise<void> {
    const id = await this.databaseId();
    if (this.dirs.some((d) => readWitness(witnessFile(d, id)) !== null)) return;
    const head = await this.chain.head();
    if (!head || head.seq === 0) return;
    this.enqueue(() => this.write(head));
    await this.flush();
  }

  /** Checks the chain against every witness found; says which folders it looked in. */
  async check(): Promise<WitnessCheck[]> {
    await this.flush();
    const id = await this.databaseId();
    const key = this.key();
    const out: WitnessCheck[] = [];
    for (const dir of this.dirs) {
      const file = witnessFile(dir, id);
      const w = readWitness(file);
      if (w === null) {
        out.push({ source: file, found: false, ok: true, seq: null, message: 'no witness here' });
        continue;
      }
      if (w === 'unreadable') {
        out.push({
          source: file,
          found: true,
          ok: false,
          seq: null,
          message: 'the witness file is damaged or not a witness: it was altered',
        });
        continue;
      }
      out.push({ source: file, found: true, seq: w.seq, ...(await this.checkOne(key, id, w)) });
      out.push(...this.checkNotes(notesFileFor(file), key, id));
    }
    return out;
  }

  /** Each restore recorded beside a witness, said plainly; a note that does not verify fails. */
  private checkNotes(file: string, key: KeyObject, id: string): WitnessCheck[] {
    const notes = readNotes(file);
    if (notes === 'unreadable') {
      return [
        {
          source: file,
          found: true,
          ok: false,
          seq: null,
          message: 'the restore notes are damaged: they were altered',
        },
      ];
    }
    return notes.map((note) =>
      noteVerifies(note, key, id)
        ? { source: file, found: true, ok: true, seq: note.lostSeq, message: describeNote(note) }
        : {
            source: file,
            found: true,
            ok: false,
            seq: null,
            message:
              "a restore note's signature does not verify with this installation's audit key: it was altered or made elsewhere",
          },
    );
  }

  /**
   * After a deliberate restore: where a witness saw records the restored log no longer holds, a
   * signed note records what it saw, when and by whom, and the witness moves back to the restored
   * head (see restore-notes.ts). A witness whose records are all still there is left as it is.
   */
  async acknowledgeRestore(by: string): Promise<void> {
    await this.flush();
    const id = await this.databaseId();
    const key = this.key();
    const head = await this.chain.head();
    const restoredSeq = head?.seq ?? 0;
    const restoredAt = this.clock.now().toISOString();
    for (const dir of this.dirs) {
      const file = witnessFile(dir, id);
      const seen = readWitness(file);
      if (seen === null || seen === 'unreadable') continue;
      if ((await checkHeadSeen(this.chain, seen, 'the witness')).ok) continue;
      const notesFile = notesFileFor(file);
      const earlier = readNotes(notesFile);
      const note = signNote(
        { databaseId: id, restoredAt, by, lostSeq: seen.seq, lostHash: seen.hash, restoredSeq },
        key,
      );
      const notes = [...(earlier === 'unreadable' ? [] : earlier), note];
      await writeAtomically(notesFile, `${JSON.stringify(notes, null, 2)}\n`);
      // An empty restored log has no head to witness: the note alone says what was there.
      if (head && head.seq > 0) await this.writeOne(file, this.signed(id, key, head));
      else await fsp.rm(file, { force: true });
    }
  }

  private async checkOne(
    key: KeyObject,
    id: string,
    w: Witness,
  ): Promise<{ ok: boolean; message: string }> {
    const signed =
      w.publicKey === publicKeyPem(key) &&
      w.databaseId === id &&
      typeof w.signature === 'string' &&
      verify(null, payload(w), createPublicKey(key), Buffer.from(w.signature, 'base64'));
    if (!signed) {
      return {
        ok: false,
        message:
          "the witness's signature does not verify with this installation's audit key: it was altered or made elsewhere",
      };
    }
    return checkHeadSeen(this.chain, { seq: w.seq, hash: w.hash }, `the witness of ${w.createdAt}`);
  }

  private enqueue(job: () => Promise<void>): void {
    this.queue = this.queue.then(job).catch(this.onError);
  }

  private async databaseId(): Promise<string> {
    return (this.identity ??= await this.chain.databaseIdentity());
  }

  /** Writes the head to every folder whose witness is older; a witness never moves back. */
  private async write(head: { seq: number; hash: string }): Promise<void> {
    const id = await this.databaseId();
    const witness = this.signed(id, this.key(), head);
    for (const dir of this.dirs) {
      const file = witnessFile(dir, id);
      const existing = readWitness(file);
      if (existing && existing !== 'unreadable' && existing.seq >= head.seq) continue;
      await this.writeOne(file, witness);
    }
  }

  private signed(id: string, key: KeyObject, head: { seq: number; hash: string }): Witness {
    const body: Body = {
      chain: 'disclosures',
      databaseId: id,
      seq: head.seq,
      hash: head.hash,
      createdAt: this.clock.now().toISOString(),
    };
    return {
      ...body,
      publicKey: publicKeyPem(key),
      signature: sign(null, payload(body), key).toString('base64'),
    };
  }

  private writeOne(file: string, witness: Witness): Promise<void> {
    return writeAtomically(file, `${JSON.stringify(witness, null, 2)}\n`);
  }
}
