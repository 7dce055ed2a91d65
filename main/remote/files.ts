/**
 * Files across the wire, the workstation's side (issue 15). A file an export produced on the team
 * server is fetched into a hidden temporary file in this workstation's export folder, checked
 * against the byte count and SHA-256 its record holds, linked under its final name (never over
 * an existing file, as the embedded writer does) and only then confirmed to the server, which
 * deletes its copy. A file whose fetch fails leaves nothing under the final name here and is
 * abandoned; a crash between the link and the confirmation is settled at the next sign-in by
 * looking at the folder (pending()).
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Dispatcher } from 'undici';
import { sha256OfFile, syncFolder } from '../fsync';
import { request } from 'undici';
import {
  FILES_PATH,
  FILES_PENDING_PATH,
  FILES_SETTLE_PATH,
  TICKET_HEADER,
  invokeResponse,
  pendingFile,
  type FileOffer,
  type PendingFile,
} from '../../shared/team-wire';

/** A failure that retrying will not mend (a name taken here, a file that is not its record). */
export class DeliveryRefused extends Error {
  override name = 'DeliveryRefused';
}

export interface Wire {
  base: URL;
  agent: () => Promise<Dispatcher>;
  headers: (token: string) => Record<string, string>;
}

const TEMP = (name: string) => `.${name}.${randomBytes(6).toString('hex')}.partial`;

/** A name the server offers must be a plain file name: no folder, no hidden file. */
function safeName(name: string): string {
  if (name !== path.basename(name) || name.startsWith('.') || /[\\/:]/.test(name)) {
    throw new DeliveryRefused(`the server offered a file named "${name}", which is not plain`);
  }
  return name;
}

function tempsOf(dir: string, name: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.startsWith(`.${name}.`) && f.endsWith('.partial'))
    .map((f) => path.join(dir, f));
}

export class FileCourier {
  /** Offers being fetched now by some window of this app: not for pending() to abandon. */
  private readonly inFlight = new Set<string>();

  constructor(
    private readonly wire: Wire,
    readonly exportDir: string,
  ) {}

  /** The message of the refusal the embedded writer gives when the name is taken. */
  static readonly TAKEN =
    'A file with that name already exists in the export folder; choose another name.';

  taken(fileName: string): boolean {
    return fs.existsSync(path.join(this.exportDir, fileName));
  }

  /** Fetches, checks and places one offered file; the final path on success. */
  async receive(token: string, offer: FileOffer): Promise<string> {
    this.inFlight.add(offer.id);
    try {
      return await this.fetchAndPlace(token, offer);
    } finally {
      this.inFlight.delete(offer.id);
    }
  }

  private async fetchAndPlace(token: string, offer: FileOffer): Promise<string> {
    const name = safeName(offer.fileName);
    await fsp.mkdir(this.exportDir, { recursive: true, mode: 0o700 });
    const finalPath = path.join(this.exportDir, name);
    if (fs.existsSync(finalPath)) throw new DeliveryRefused(FileCourier.TAKEN);
    const res = await request(new URL(FILES_PATH + offer.id, this.wire.base), {
      method: 'GET',
      dispatcher: await this.wire.agent(),
      headers: { ...this.wire.headers(token), [TICKET_HEADER]: offer.ticket },
    });
    if (res.statusCode !== 200) {
      const answer = invokeResponse.safeParse(await res.body.json().catch(() => null));
      const said = answer.success && !answer.data.result.ok ? answer.data.result.error.message : '';
      throw new DeliveryRefused(said || `the server answered ${res.statusCode}`);
    }
    const tempPath = path.join(this.exportDir, TEMP(name));
    const handle = await fsp.open(tempPath, 'wx', 0o600);
    const hash = createHash('sha256');
    let bytes = 0;
    try {
      for await (const chunk of res.body) {
        const piece = chunk as Buffer;
        hash.update(piece);
        bytes += piece.length;
        await handle.write(piece);
      }
      await handle.sync();
      await handle.close();
      const sha256 = hash.digest('hex');
      if (bytes !== offer.bytes || sha256 !== offer.sha256) {
        throw new DeliveryRefused(
          `the file that arrived (${bytes} bytes) is not the one its record describes (${offer.bytes} bytes, SHA-256 ${offer.sha256.slice(0, 12)}…)`,
        );
      }
      try {
        await fsp.link(tempPath, finalPath); // never over a file that appeared meanwhile
      } catch (err) {
        if ((err as { code?: string }).code === 'EEXIST') {
          throw new DeliveryRefused(FileCourier.TAKEN);
        }
        throw err;
      }
      await fsp.unlink(tempPath);
      await syncFolder(this.exportDir);
      return finalPath;
    } catch (err) {
      await handle.close().catch(() => undefined);
      await fsp.unlink(tempPath).catch(() => undefined);
      throw err;
    }
  }

  /** Tells the server the file is in place or is not; answers whether the server settled it. */
  async settle(token: string, id: string, outcome: 'delivered' | 'abandoned'): Promise<boolean> {
    const res = await request(new URL(FILES_SETTLE_PATH, this.wire.base), {
      method: 'POST',
      dispatcher: await this.wire.agent(),
      headers: { ...this.wire.headers(token), 'content-type': 'application/json' },
      body: JSON.stringify({ id, outcome }),
    });
    const answer = invokeResponse.safeParse(await res.body.json().catch(() => null));
    if (!answer.success || !answer.data.result.ok) {
      throw new Error(
        answer.success && !answer.data.result.ok
          ? answer.data.result.error.message
          : `the server answered ${res.statusCode}`,
      );
    }
    return (answer.data.result.value as { settled?: boolean }).settled === true;
  }

  /**
   * Settles what an interrupted delivery left: a file in place with its record's SHA-256 is
   * confirmed; anything else is abandoned (its temporary files removed here, its copy there).
   */
  async settlePending(token: string): Promise<{ delivered: string[]; abandoned: string[] }> {
    const res = await request(new URL(FILES_PENDING_PATH, this.wire.base), {
      method: 'POST',
      dispatcher: await this.wire.agent(),
      headers: { ...this.wire.headers(token), 'content-type': 'application/json' },
      body: '{}',
    });
    const answer = invokeResponse.safeParse(await res.body.json().catch(() => null));
    const done = { delivered: [] as string[], abandoned: [] as string[] };
    if (!answer.success || !answer.data.result.ok) return done;
    const listed = pendingFile.array().safeParse(answer.data.result.value);
    if (!listed.success) return done;
    for (const file of listed.data) {
      if (!this.inFlight.has(file.id)) await this.settleOne(token, file, done);
    }
    return done;
  }

  private async settleOne(
    token: string,
    file: PendingFile,
    done: { delivered: string[]; abandoned: string[] },
  ): Promise<void> {
    let name: string;
    try {
      name = safeName(file.fileName);
    } catch {
      await this.settle(token, file.id, 'abandoned');
      return;
    }
    const finalPath = path.join(this.exportDir, name);
    const placed = fs.existsSync(finalPath) && (await sha256OfFile(finalPath)) === file.sha256;
    for (const temp of tempsOf(this.exportDir, name)) fs.rmSync(temp, { force: true });
    const outcome = placed ? 'delivered' : 'abandoned';
    if (await this.settle(token, file.id, outcome)) done[outcome].push(name);
  }
}
