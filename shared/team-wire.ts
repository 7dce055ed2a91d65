import { z } from 'zod';
import type { Result } from './errors';

/**
 * What crosses the wire between a workstation and the team server (issue 15): one route per the
 * contract, POST /v1/invoke/<channel>, with the same input the IPC path takes and the same
 * structured result. The session token travels in the Authorization header (Bearer), never in
 * the body.
 */
export const INVOKE_PATH = '/v1/invoke/';
export const ENROL_PATH = '/v1/enrol';
/** GET FILES_PATH<id> (the ticket in TICKET_HEADER) streams a file the server holds. */
export const FILES_PATH = '/v1/files/';
/** POST: the files of this staff member on this workstation never settled (a crash). */
export const FILES_PENDING_PATH = '/v1/files-pending';
/** POST: the workstation's word on a file: in place, or not. */
export const FILES_SETTLE_PATH = '/v1/files-settle';
/** POST application/octet-stream: the import file the user picked on the workstation. */
export const UPLOAD_PATH = '/v1/upload';
/** POST: may this session upload an import file? Asked before the picker opens. */
export const UPLOAD_CHECK_PATH = '/v1/upload-check';
export const TICKET_HEADER = 'x-custodian-ticket';
export const FILE_NAME_HEADER = 'x-custodian-file-name';

/** Largest import file a workstation may upload (the import desk reads CSV of this size well). */
export const MAX_UPLOAD_BYTES = 200 * 1024 * 1024;

/** Largest request body the server reads (a contract input is small; files travel elsewhere). */
export const MAX_BODY_BYTES = 256 * 1024;

/** What the workstation reports about itself; the server records what it saw beside it. */
export const clientReport = z.object({
  hostname: z.string().min(1).max(255),
  ip: z.string().min(1).max(64),
  os: z.string().min(1).max(255),
  appVersion: z.string().min(1).max(64),
});
export type ClientReport = z.infer<typeof clientReport>;

/**
 * The channels a team workstation may queue while the server cannot be reached, and replay later
 * with the time each change was made (`madeOfflineAt`): edits, standing changes and holds.
 */
export const OUTBOX_CHANNELS = [
  'accounts.update',
  'standing.transition',
  'holds.set',
  'holds.clear',
] as const;
export type OutboxChannel = (typeof OUTBOX_CHANNELS)[number];

export const invokeRequest = z.strictObject({
  input: z.unknown(),
  client: clientReport,
  /**
   * Names a file of this call would take that are already taken in the workstation's export
   * folder: the server's writer refuses them at the point the embedded writer would.
   */
  taken: z.array(z.string().min(1).max(200)).max(4).optional(),
  /**
   * Set by the workstation's main process (never the renderer) when it replays a change from its
   * outbox: when the change was made there. Only for OUTBOX_CHANNELS.
   */
  madeOfflineAt: z.iso.datetime().optional(),
});
export type InvokeRequest = z.infer<typeof invokeRequest>;

export interface InvokeResponse {
  result: Result<unknown>;
  /**
   * A new session token (after a sign-in), null when the session ended and the workstation
   * must forget its token, absent when nothing changed.
   */
  token?: string | null;
  /** Files the call produced on the server, for the workstation to fetch and confirm. */
  files?: FileOffer[];
}

/** A file waiting on the server, with what its record says of it. */
export const pendingFile = z.object({
  id: z.uuid(),
  fileName: z.string().min(1).max(200),
  bytes: z.number().int().min(0),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type PendingFile = z.infer<typeof pendingFile>;

/** A file just produced: its one-time ticket travels only in this answer (over TLS). */
export const fileOffer = pendingFile.extend({ ticket: z.string().min(20).max(200) });
export type FileOffer = z.infer<typeof fileOffer>;

export const settleRequest = z.strictObject({
  id: z.uuid(),
  outcome: z.enum(['delivered', 'abandoned']),
});
export type SettleRequest = z.infer<typeof settleRequest>;

export const invokeResponse = z.object({
  result: z.union([
    z.object({ ok: z.literal(true), value: z.unknown() }),
    z.object({
      ok: z.literal(false),
      error: z.object({
        code: z.string(),
        message: z.string(),
        fieldErrors: z.record(z.string(), z.string()).optional(),
        details: z.unknown().optional(),
      }),
    }),
  ]),
  token: z.string().min(20).max(200).nullable().optional(),
  files: z.array(fileOffer).max(100).optional(),
});
