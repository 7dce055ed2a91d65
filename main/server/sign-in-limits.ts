/**
 * Sign-in (and enrolment) attempts limited per address and per username or code, counted in the
 * database (main/services/rate-counters.ts) so that every server instance behind one address
 * counts the same attempts. The counters are keyed by a hash: an enrolment code is a secret, and
 * is never written down in clear.
 */
import { createHash } from 'node:crypto';
import type { FastifyError, FastifyRequest } from 'fastify';
import type { RateCounterService } from '../services/rate-counters';

const WINDOW_MS = 60_000;

export interface SignInLimits {
  perAddress: number;
  perUsername: number;
}

const hashed = (text: string) => createHash('sha256').update(text).digest('hex');

/** The counters a request counts against: its address, and its username or enrolment code. */
function countersOf(req: FastifyRequest, isEnrol: boolean): { key: string; what: string }[] {
  const body = req.body as { input?: { username?: unknown }; code?: unknown } | undefined;
  const named = isEnrol
    ? `enrol-code:${typeof body?.code === 'string' ? body.code.slice(0, 40) : ''}`
    : `signin-user:${
        typeof body?.input?.username === 'string'
          ? body.input.username.toLowerCase().slice(0, 64)
          : ''
      }`;
  return [
    { key: `signin-ip:${req.ip}`, what: 'from this address' },
    { key: named, what: 'for this username or code' },
  ];
}

export function signInLimiter(counters: RateCounterService, limits: SignInLimits) {
  return async (req: FastifyRequest, isEnrol: boolean): Promise<void> => {
    const [address, name] = countersOf(req, isEnrol);
    for (const [counter, max] of [
      [address!, limits.perAddress],
      [name!, limits.perUsername],
    ] as const) {
      const hit = await counters.hit(hashed(counter.key), WINDOW_MS);
      if (hit.count > max) {
        const err = new Error(
          `Too many sign-in attempts ${counter.what}. Try again in ${Math.ceil(hit.ttlMs / 1000)} seconds.`,
        ) as FastifyError;
        err.statusCode = 429;
        throw err;
      }
    }
  };
}
