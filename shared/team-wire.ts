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

export const invokeRequest = z.strictObject({
  input: z.unknown(),
  client: clientReport,
});
export type InvokeRequest = z.infer<typeof invokeRequest>;

export interface InvokeResponse {
  result: Result<unknown>;
  /**
   * A new session token (after a sign-in), null when the session ended and the workstation
   * must forget its token, absent when nothing changed.
   */
  token?: string | null;
}

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
});
