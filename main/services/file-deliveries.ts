/**
 * The team server's side of files crossing the wire (issue 15): a file an export produced in the
 * spool (exports/spool.ts) is offered to the workstation under a one-time ticket, fetched, and
 * settled once, delivered or abandoned; its spool copy is deleted either way. Only the ticket's
 * SHA-256 is stored, and a ticket works only in the session it was made for, from the workstation
 * that made the call.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { AppError } from '../../shared/errors';
import type { FileOffer, PendingFile } from '../../shared/team-wire';
import type { Db } from '../db/handle';
import { FileDeliveryStore, type FileDeliveryRow } from '../db/stores/file-deliveries';
import type { Clock } from './clock';
import { readSpooled, type SpoolScope } from './exports/spool';

/** An offered file not settled within this time is abandoned at the server's next start. */
const STALE_MS = 7 * 86_400_000;

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

function sameHash(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

/** Who asks: the staff member, the session (its token) and the workstation it runs on. */
export interface Asker {
  staffId: string;
  token: string;
  workstation: string;
}

const notYours = () =>
  new AppError('NOT_FOUND', 'That file is not waiting for this session on this workstation.');

export class FileDeliveryService {
  private readonly store: FileDeliveryStore;

  constructor(
    db: Db,
    private readonly clock: Clock,
    /** The server's spool folder: one sub-folder per call that produced files. */
    readonly spoolDir: string,
  ) {
    this.store = new FileDeliveryStore(db);
  }

  /** A fresh scope for one call: its folder and the ticket its files are encrypted under. */
  scope(taken: readonly string[] = []): SpoolScope {
    return {
      dir: path.join(this.spoolDir, randomBytes(12).toString('hex')),
      ticket: randomBytes(32).toString('base64url'),
      produced: [],
      taken: new Set(taken),
    };
  }

  /** Records what a call produced and answers the offers the workstation fetches them by. */
  async offer(scope: SpoolScope, asker: Asker): Promise<FileOffer[]> {
    const offers: FileOffer[] = [];
    for (const file of scope.produced) {
      const id = uuidv7();
      // One ticket per call; each file's own is the call's ticket and its id, hashed together.
      await this.store.insert({
        id,
        ticketHash: sha256(`${scope.ticket}:${id}`),
        staffId: asker.staffId,
        sessionHash: sha256(asker.token),
        workstation: asker.workstation,
        fileName: file.fileName,
        bytes: file.bytes,
        sha256: file.sha256,
        spoolPath: file.spoolPath,
        createdAt: this.clock.now().toISOString(),
      });
      offers.push({
        id,
        ticket: scope.ticket,
        fileName: file.fileName,
        bytes: file.bytes,
        sha256: file.sha256,
      });
    }
    return offers;
  }

  /** The plain bytes of an offered file, for the session and workstation it was made for. */
  async open(
    id: string,
    ticket: string,
    asker: Asker,
  ): Promise<{ row: FileDeliveryRow; bytes: AsyncGenerator<Buffer> }> {
    const row = await this.store.find(id);
    if (
      !row ||
      row.settledAt !== null ||
      row.staffId !== asker.staffId ||
      row.workstation !== asker.workstation ||
      !sameHash(row.sessionHash, sha256(asker.token)) ||
      !sameHash(row.ticketHash, sha256(`${ticket}:${id}`))
    ) {
      throw notYours();
    }
    if (!fs.existsSync(row.spoolPath)) {
      await this.settle(row, 'abandoned');
      throw new AppError(
        'NOT_FOUND',
        `The server no longer holds ${row.fileName}; its record stays in the log. Export it again.`,
      );
    }
    return { row, bytes: readSpooled(row.spoolPath, ticket) };
  }

  /** Files of this staff member on this workstation that were never settled. */
  async pending(asker: Omit<Asker, 'token'>): Promise<PendingFile[]> {
    const rows = await this.store.pendingFor(asker.staffId, asker.workstation);
    return rows.map((r) => ({ id: r.id, fileName: r.fileName, bytes: r.bytes, sha256: r.sha256 }));
  }

  /**
   * The workstation's word on a file: in place (delivered) or not (abandoned). Answers whether
   * this call settled it (false: settled before).
   */
  async confirm(
    id: string,
    outcome: 'delivered' | 'abandoned',
    asker: Omit<Asker, 'token'>,
  ): Promise<boolean> {
    const row = await this.store.find(id);
    if (!row || row.staffId !== asker.staffId || row.workstation !== asker.workstation) {
      throw notYours();
    }
    if (row.settledAt !== null) return false;
    return this.settle(row, outcome);
  }

  private async settle(row: FileDeliveryRow, outcome: 'delivered' | 'abandoned') {
    const settled = await this.store.settle(row.id, outcome, this.clock.now().toISOString());
    fs.rmSync(row.spoolPath, { force: true });
    // The call's folder goes with its last file (a call may have produced several).
    try {
      fs.rmdirSync(path.dirname(row.spoolPath));
    } catch {
      // not empty yet, or gone
    }
    return settled;
  }

  /**
   * At start: a file offered a week ago and never settled is abandoned. A spool folder no
   * unsettled row claims is the trace of a crash between the file
   * and its offer; its key went with the request, so it is unreadable and removed. Folders
   * younger than `graceMs` may be a call in progress on another instance sharing the spool.
   * Uploads older than a day were never imported (a session does not last that long).
   */
  async sweep(graceMs = 3_600_000): Promise<number> {
    // A file nobody fetched in a week will not be: its workstation settles nothing it has not got.
    const stale = new Date(this.clock.now().getTime() - STALE_MS).toISOString();
    for (const row of await this.store.unsettledBefore(stale)) await this.settle(row, 'abandoned');
    if (!fs.existsSync(this.spoolDir)) return 0;
    const claimed = new Set((await this.store.unsettledPaths()).map((p) => path.dirname(p)));
    const now = this.clock.now().getTime();
    const old = (dir: string, ms: number) => now - fs.statSync(dir).mtimeMs >= ms;
    let removed = 0;
    const remove = (dir: string) => {
      fs.rmSync(dir, { recursive: true, force: true });
      removed++;
    };
    for (const entry of fs.readdirSync(this.spoolDir)) {
      const dir = path.join(this.spoolDir, entry);
      if (entry === 'uploads') {
        for (const u of fs.readdirSync(dir)) {
          if (old(path.join(dir, u), 86_400_000)) remove(path.join(dir, u));
        }
      } else if (!claimed.has(dir) && old(dir, graceMs)) {
        remove(dir);
      }
    }
    return removed;
  }
}
