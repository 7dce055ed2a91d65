/**
 * Files across the wire (issue 15), the server's routes: a workstation fetches a file a call
 * produced (GET, its one-time ticket in a header, never in the URL), says whether it is in place
 * (settle), asks at sign-in what was never settled (pending), and uploads the import file its
 * user picked. Every route needs the bearer token of a live session and, with enrolment on, the
 * workstation's certificate; a file is only ever given to the session and workstation it was
 * made for.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { TLSSocket } from 'node:tls';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { contract } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import {
  FILES_PATH,
  FILES_PENDING_PATH,
  FILES_SETTLE_PATH,
  FILE_NAME_HEADER,
  MAX_UPLOAD_BYTES,
  TICKET_HEADER,
  UPLOAD_CHECK_PATH,
  UPLOAD_PATH,
  fileOffer,
  settleRequest,
  type ClientReport,
  type InvokeResponse,
} from '../../shared/team-wire';
import type { FileDeliveryService } from '../services/file-deliveries';
import type { ServerSessionService } from '../services/server-sessions';
import { hashToken } from '../services/server-sessions';
import { verifiedClientSerial } from './enrol';
import { forgetSealed, sealingStream } from '../services/import/sealed-files';

/** The workstation a request comes from: its certificate, or what it says it is without one. */
export function workstationOf(req: FastifyRequest, client?: ClientReport): string {
  const serial = verifiedClientSerial(req.raw.socket as TLSSocket);
  if (serial) return `cert:${serial}`;
  const reported = client?.hostname ?? String(req.headers['x-custodian-host'] ?? '');
  return `host:${reported.slice(0, 255)}`;
}

/**
 * Uploaded import files, by session: one waiting for the session's next pick, then held while the
 * import desk may read it. All of them are deleted when the session ends on this instance.
 */
export class Uploads {
  private readonly waiting = new Map<string, string>();
  private readonly held = new Map<string, string[]>();

  constructor(readonly dir: string) {}

  put(token: string, file: string): void {
    const key = hashToken(token);
    const unpicked = this.waiting.get(key);
    if (unpicked) remove(unpicked);
    this.waiting.set(key, file);
  }

  /** The session's upload, once: the import desk keeps the path from then on. */
  take(token: string): string | null {
    const key = hashToken(token);
    const file = this.waiting.get(key) ?? null;
    this.waiting.delete(key);
    // An earlier file may still be in a check or an import of this session: it stays till the end.
    if (file) this.held.set(key, [...(this.held.get(key) ?? []), file]);
    return file;
  }

  /** Deletes everything the session uploaded (it ended). */
  forget(token: string): void {
    const key = hashToken(token);
    const files = [...(this.held.get(key) ?? []), this.waiting.get(key)];
    this.held.delete(key);
    this.waiting.delete(key);
    for (const file of files) if (file) remove(file);
  }
}

const remove = (file: string) => {
  forgetSealed(file);
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
};

const fileId = z.object({ id: z.uuid() });
const ticketHeader = fileOffer.shape.ticket;

/** A plain, safe name for an uploaded file (the import screen shows it). */
export function uploadName(header: unknown): string {
  let name: string;
  try {
    name = decodeURIComponent(typeof header === 'string' ? header : '');
  } catch {
    name = '';
  }
  const base = path.basename(name.replaceAll('\\', '/'));
  const plain = base.replace(/[^A-Za-z0-9 ._()-]/g, '_').replace(/^[.\s]+/, '');
  return plain.slice(0, 150) || 'upload.csv';
}

export const uploadTooLarge = () =>
  `An import file may be at most ${MAX_UPLOAD_BYTES / 1024 / 1024} MB; split it into smaller files.`;

function fail(reply: FastifyReply, status: number, err: AppError) {
  return reply.status(status).send({ result: { ok: false, error: err.toShape() } });
}

export interface FileRouteOptions {
  deliveries: FileDeliveryService;
  sessions: ServerSessionService;
  uploads: Uploads;
  bearer: (req: FastifyRequest) => string | null | undefined;
  checkEnrolment: (req: FastifyRequest) => Promise<void>;
}

export function registerFileRoutes(app: FastifyInstance, o: FileRouteOptions): void {
  /** The signed-in caller, or an AppError the route answers with 401. */
  const asker = async (req: FastifyRequest) => {
    const token = o.bearer(req);
    if (!token) throw new AppError('UNAUTHENTICATED', 'Sign in first.');
    const signedIn = await o.sessions.resume(token);
    return {
      staffId: signedIn.staffId,
      role: signedIn.role,
      token,
      workstation: workstationOf(req),
    };
  };
  /** The signed-in caller, or null once the 401 saying why has been sent. */
  const callerOr401 = async (req: FastifyRequest, reply: FastifyReply) => {
    try {
      return await asker(req);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      await fail(reply, 401, err);
      return null;
    }
  };
  // Only a role that may import may leave a file on the server (the pick's own rule).
  const importRule = contract['import.chooseFile'].roles;
  const guarded = { onRequest: o.checkEnrolment };

  // Uploads are the one body that is not JSON: read as a stream, never whole into memory.
  app.addContentTypeParser('application/octet-stream', (_req, payload, done) => {
    done(null, payload);
  });

  app.get(`${FILES_PATH}:id`, guarded, async (req, reply) => {
    const id = fileId.safeParse(req.params);
    const ticket = ticketHeader.safeParse(req.headers[TICKET_HEADER]);
    if (!id.success || !ticket.success) {
      return fail(reply, 400, new AppError('VALIDATION', 'A file id and its ticket are needed.'));
    }
    const who = await callerOr401(req, reply);
    if (!who) return reply;
    const { row, bytes } = await o.deliveries.open(id.data.id, ticket.data, who);
    return reply
      .header('content-type', 'application/octet-stream')
      .header('content-length', String(row.bytes))
      .header('cache-control', 'no-store')
      .send(Readable.from(bytes));
  });

  app.post(FILES_PENDING_PATH, guarded, async (req, reply) => {
    const who = await callerOr401(req, reply);
    if (!who) return reply;
    const value = await o.deliveries.pending(who);
    return { result: { ok: true, value } } satisfies InvokeResponse;
  });

  app.post(FILES_SETTLE_PATH, guarded, async (req, reply) => {
    const parsed = settleRequest.safeParse(req.body);
    if (!parsed.success) {
      return fail(reply, 400, new AppError('VALIDATION', 'A file id and an outcome are needed.'));
    }
    const who = await callerOr401(req, reply);
    if (!who) return reply;
    const settled = await o.deliveries.confirm(parsed.data.id, parsed.data.outcome, who);
    return { result: { ok: true, value: { settled } } } satisfies InvokeResponse;
  });

  const mayImport = (role: string) => !importRule || importRule.only.some((r) => r === role);

  // Asked before the workstation opens its picker, so a role that may not import sees no picker.
  app.post(UPLOAD_CHECK_PATH, guarded, async (req, reply) => {
    const who = await callerOr401(req, reply);
    if (!who) return reply;
    if (!mayImport(who.role))
      return fail(reply, 403, new AppError('FORBIDDEN', importRule!.refusal));
    return { result: { ok: true, value: { maxBytes: MAX_UPLOAD_BYTES } } } satisfies InvokeResponse;
  });

  app.post(UPLOAD_PATH, { ...guarded, bodyLimit: MAX_UPLOAD_BYTES }, async (req, reply) => {
    const declared = Number(req.headers['content-length']);
    if (!Number.isFinite(declared) || declared > MAX_UPLOAD_BYTES) {
      // The body is not read: the connection closes after the answer rather than wait for it.
      reply.header('connection', 'close');
      return fail(reply, 413, new AppError('VALIDATION', uploadTooLarge()));
    }
    const who = await callerOr401(req, reply);
    if (!who) return reply;
    if (!mayImport(who.role)) {
      req.raw.resume(); // drain: the answer is the refusal, not a reset connection
      return fail(reply, 403, new AppError('FORBIDDEN', importRule!.refusal));
    }
    const folder = path.join(o.uploads.dir, randomBytes(12).toString('hex'));
    await fsp.mkdir(folder, { recursive: true, mode: 0o700 });
    const file = path.join(folder, uploadName(req.headers[FILE_NAME_HEADER]));
    // Sealed on disk under a key only this process holds (main/services/import/sealed-files.ts).
    const seal = sealingStream(file);
    let received = 0;
    try {
      await pipeline(
        req.body as Readable,
        async function* (source: AsyncIterable<Buffer | string>) {
          for await (const chunk of source) {
            received += Buffer.byteLength(chunk);
            if (received > declared) throw new Error('more bytes than declared');
            yield chunk;
          }
        },
        seal.cipher,
        fs.createWriteStream(file, { flags: 'wx', mode: 0o600 }),
      );
      if (received !== declared) throw new Error('fewer bytes than declared');
      seal.done();
    } catch {
      forgetSealed(file);
      fs.rmSync(folder, { recursive: true, force: true });
      return fail(
        reply,
        400,
        new AppError('VALIDATION', 'The file did not arrive whole; nothing was kept. Try again.'),
      );
    }
    o.uploads.put(who.token, file);
    return { result: { ok: true, value: { bytes: received } } } satisfies InvokeResponse;
  });
}
