/**
 * The team server's HTTPS front door (Fastify): TLS 1.3 only, JSON bodies only and small, one
 * route per contract channel, sign-in rate-limited per address and per username, and every
 * refusal answered in the same structured error shape the IPC path uses.
 */
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyRequest } from 'fastify';
import type { ZodError } from 'zod';
import { AppError, type AppErrorShape, type ErrorCode } from '../../shared/errors';
import {
  ENROL_PATH,
  INVOKE_PATH,
  MAX_BODY_BYTES,
  UPLOAD_PATH,
  OUTBOX_CHANNELS,
  invokeRequest,
  type InvokeResponse,
} from '../../shared/team-wire';
import type { Backend } from '../app/backend';
import { fieldErrorsOf } from '../ipc/dispatch';
import type { Logger } from '../log';
import type { FileDeliveryService } from '../services/file-deliveries';
import type { RateCounterService } from '../services/rate-counters';
import type { ServerSessionService, SessionRead } from '../services/server-sessions';
import type { TLSSocket } from 'node:tls';
import { enrolRequest, enrolWorkstation, verifiedClientSerial } from './enrol';
import type { ServerIdentity } from './identity';
import { Uploads, registerFileRoutes, uploadTooLarge, workstationOf } from './files';
import { LiveSessions, invokeForWorkstation } from './invoke';
import { signInLimiter } from './sign-in-limits';

export interface RateLimits {
  /** Requests of any kind per address per minute. */
  perAddress: number;
  /** Sign-in attempts (auth.login, auth.unlock, first-run set-up) per address per minute. */
  signInPerAddress: number;
  /** Sign-in attempts per username per minute, from any address. */
  signInPerUsername: number;
}

export const DEFAULT_RATE_LIMITS: RateLimits = {
  perAddress: 3000,
  signInPerAddress: 30,
  signInPerUsername: 10,
};

export interface TeamServerOptions {
  backend: Backend;
  sessions: ServerSessionService;
  /** How long an unused session's in-memory state is kept on this instance. */
  idleMs: number;
  /** The server's key and certificate, also the authority of workstations' certificates. */
  tls: ServerIdentity;
  /**
   * Mutual TLS: every request but enrolment must come with a client certificate this server
   * issued and has not revoked. On by default; off only for a server behind its own gate.
   */
  requireEnrolment?: boolean;
  log: Logger;
  limits?: Partial<RateLimits>;
  /** Sign-in attempt counters shared by every instance on the database. */
  rateCounters: RateCounterService;
  /** Files calls produce wait here, encrypted, until their workstation fetches them. */
  deliveries: FileDeliveryService;
}

const SIGN_IN = new Set(['auth.login', 'auth.unlock', 'setup.createFirstAdmin', 'enrol']);

function refusal(code: ErrorCode, message: string, fieldErrors?: Record<string, string>) {
  const error: AppErrorShape = { code, message };
  if (fieldErrors) error.fieldErrors = fieldErrors;
  return { result: { ok: false as const, error } } satisfies InvokeResponse;
}

/** A body that is not what the route expects: 400 with the fields zod named. */
function invalidBody(message: string, error: ZodError) {
  return refusal('VALIDATION', message, fieldErrorsOf(error));
}

const isOutboxChannel = (channel: string) =>
  (OUTBOX_CHANNELS as readonly string[]).includes(channel);

function channelOf(req: FastifyRequest): string {
  if (req.url === ENROL_PATH) return 'enrol';
  return (req.params as { channel?: string }).channel ?? '';
}

export function bearer(req: FastifyRequest): string | null | undefined {
  const header = req.headers.authorization;
  if (header === undefined) return null;
  const match = /^Bearer ([A-Za-z0-9_-]{20,200})$/.exec(header);
  return match ? match[1] : undefined;
}

/** Fastify's own refusals (parser, size, type, rate) in the contract's error shape. */
function doorRefusal(err: FastifyError, url: string): { status: number; body: InvokeResponse } {
  const status = err.statusCode ?? 500;
  if (status === 429) return { status, body: refusal('RATE_LIMITED', err.message) };
  if (status === 413 && url === UPLOAD_PATH) {
    return { status, body: refusal('VALIDATION', uploadTooLarge()) };
  }
  if (status === 413) {
    return {
      status,
      body: refusal(
        'VALIDATION',
        `The request is larger than the server accepts (${MAX_BODY_BYTES / 1024} KB).`,
      ),
    };
  }
  if (status === 415) {
    return {
      status,
      body: refusal('VALIDATION', 'The request must be sent as application/json.'),
    };
  }
  if (status === 400) {
    return { status, body: refusal('VALIDATION', 'The request body is not valid JSON.') };
  }
  return {
    status: 500,
    body: refusal('INTERNAL', 'The server could not answer this request; nothing was changed.'),
  };
}

export async function buildTeamServer(options: TeamServerOptions): Promise<FastifyInstance> {
  const limits = { ...DEFAULT_RATE_LIMITS, ...options.limits };
  const app = Fastify({
    https: {
      key: options.tls.keyPem,
      cert: options.tls.certPem,
      minVersion: 'TLSv1.3',
      maxVersion: 'TLSv1.3',
      // Ask for a client certificate and verify it against this server's own; an unenrolled
      // workstation still connects, to enrol, and is refused everything else below.
      requestCert: true,
      rejectUnauthorized: false,
      ca: [options.tls.certPem],
    },
    bodyLimit: MAX_BODY_BYTES,
    // Fastify's logger would write URLs and headers; the backend's Logger writes facts only.
    logger: false,
    // Behind no proxy: the address is the socket's, never a header the client wrote.
    trustProxy: false,
  });
  // An uploaded import file lives as long as the session that brought it, and no longer.
  const uploads = new Uploads(`${options.deliveries.spoolDir}/uploads`);
  const live = new LiveSessions(options.backend, options.idleMs, (token) => uploads.forget(token));
  app.addHook('onClose', (_instance, done) => {
    live.closeAll();
    done();
  });
  // Only JSON is read; anything else is refused with 415 before a byte is parsed.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    try {
      done(null, JSON.parse(body as string));
    } catch {
      const err = new Error('The request body is not valid JSON.') as FastifyError;
      err.statusCode = 400;
      done(err, undefined);
    }
  });

  await app.register(rateLimit, {
    global: true,
    max: limits.perAddress,
    timeWindow: 60_000,
    keyGenerator: (req) => `any:${req.ip}`,
    // The workstation reads none of the x-ratelimit-* headers on an answer under the limit: three
    // headers fewer to write and parse on every call. A 429 still carries them and retry-after.
    addHeadersOnExceeding: {
      'x-ratelimit-limit': false,
      'x-ratelimit-remaining': false,
      'x-ratelimit-reset': false,
    },
    errorResponseBuilder: (_req, ctx) => ({
      statusCode: 429,
      message: `Too many requests from this address. Try again in ${ctx.after}.`,
    }),
  });
  // Sign-in limits stack (per address and per username) and are shared by every instance: they
  // are counted in the database (sign-in-limits.ts), not by the plugin's per-process store.
  const countSignIn = signInLimiter(options.rateCounters, {
    perAddress: limits.signInPerAddress,
    perUsername: limits.signInPerUsername,
  });
  const limitSignIn = async (req: FastifyRequest) => {
    const channel = channelOf(req);
    if (SIGN_IN.has(channel)) await countSignIn(req, channel === 'enrol');
  };

  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err instanceof AppError) {
      const status = err.code === 'NOT_ENROLLED' ? 403 : 400;
      return reply.status(status).send({ result: { ok: false, error: err.toShape() } });
    }
    const { status, body } = doorRefusal(err, req.url);
    if (status === 500)
      options.log.error('server request failed', { kind: err.name, code: err.code });
    return reply.status(status).send(body);
  });
  app.setNotFoundHandler((_req, reply) =>
    reply.status(404).send(refusal('UNKNOWN_CHANNEL', 'That operation does not exist.')),
  );

  const requireEnrolment = options.requireEnrolment ?? true;
  const enrolments = options.backend.services.enrolments;
  // Before a byte of the request is read: an unenrolled or revoked workstation gets nothing.
  const checkEnrolment = async (req: FastifyRequest) => {
    if (!requireEnrolment) return;
    await enrolments.checkCertificate(verifiedClientSerial(req.raw.socket as TLSSocket));
  };
  // A call with a token: the certificate's enrolment and the token's session in one statement
  // (half the round trips of checking each apart); the session as read waits here for the handler.
  const readAtDoor = new WeakMap<FastifyRequest, SessionRead | null>();
  const checkCall = async (req: FastifyRequest) => {
    const token = bearer(req);
    const serial = verifiedClientSerial(req.raw.socket as TLSSocket);
    if (!requireEnrolment || !token || !serial) return checkEnrolment(req);
    const door = await options.sessions.atDoor(serial, token);
    enrolments.refuseUnlessEnrolled(serial, door.enrolment);
    readAtDoor.set(req, door.session);
  };

  app.post(ENROL_PATH, { preHandler: limitSignIn }, async (req, reply) => {
    const parsed = enrolRequest.safeParse(req.body);
    if (!parsed.success) {
      return reply
        .status(400)
        .send(
          invalidBody(
            'The enrolment request needs the code and a certificate request.',
            parsed.error,
          ),
        );
    }
    try {
      const value = await enrolWorkstation(enrolments, options.tls, parsed.data, req.ip);
      return { result: { ok: true, value } } satisfies InvokeResponse;
    } catch (err) {
      if (err instanceof AppError) {
        return reply.status(403).send({ result: { ok: false, error: err.toShape() } });
      }
      throw err;
    }
  });

  registerFileRoutes(app, {
    deliveries: options.deliveries,
    sessions: options.sessions,
    uploads,
    bearer,
    checkEnrolment,
  });

  app.post(
    `${INVOKE_PATH}:channel`,
    { onRequest: checkCall, preHandler: limitSignIn },
    async (req, reply) => {
      const token = bearer(req);
      if (token === undefined) {
        return reply
          .status(401)
          .send(refusal('UNAUTHENTICATED', 'The session token is malformed. Sign in again.'));
      }
      const parsed = invokeRequest.safeParse(req.body);
      if (!parsed.success) {
        return reply
          .status(400)
          .send(invalidBody('The request is not in the form the server expects.', parsed.error));
      }
      const madeOfflineAt = parsed.data.madeOfflineAt;
      if (madeOfflineAt !== undefined && !isOutboxChannel(channelOf(req))) {
        return reply
          .status(400)
          .send(
            refusal('VALIDATION', 'Only an edit, a standing change or a hold can be made offline.'),
          );
      }
      try {
        return await invokeForWorkstation(options.backend, options.sessions, live, {
          channel: channelOf(req),
          input: parsed.data.input,
          token,
          read: readAtDoor.get(req),
          client: parsed.data.client,
          seenIp: req.ip,
          madeOfflineAt,
          files: {
            deliveries: options.deliveries,
            workstation: workstationOf(req, parsed.data.client),
            uploaded: token && channelOf(req) === 'import.chooseFile' ? uploads.take(token) : null,
            taken: parsed.data.taken,
          },
        });
      } catch (err) {
        if (err instanceof AppError)
          return reply.status(400).send({ result: { ok: false, error: err.toShape() } });
        throw err;
      }
    },
  );
  return app;
}
