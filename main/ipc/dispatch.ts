import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { contract, type Channel, type RoleRule } from '../../shared/contract';
import type { AccessAudit } from '../../shared/channels/spec';
import { AppError, type Result } from '../../shared/errors';
import type { HandlerServices } from './services';
import type { Logger } from '../log';
import type { Session } from '../services/session';
import { handlers } from './handlers';
import type { Handler, HandlerContext } from './types';

/** zod issues -> one message per field path, as the UI shows them next to the field. */
export function fieldErrorsOf(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.length > 0 ? issue.path.join('.') : '_';
    out[key] ??= issue.message;
  }
  return out;
}

function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && Object.hasOwn(contract, name);
}

/** The contract's role rule for a channel, checked once here for every caller. */
function enforceRoles(session: Session, rule: RoleRule | undefined): void {
  if (!rule) return;
  const role = session.signedIn?.role;
  if (!role || !rule.only.includes(role)) throw new AppError('FORBIDDEN', rule.refusal);
}

/** The access-log entry the contract declares for the call (policy P3), written once here. */
async function writeAccessEntry(
  services: HandlerServices,
  session: Session,
  audit: AccessAudit<unknown, unknown> | undefined,
  [input, output]: [unknown, unknown],
): Promise<void> {
  if (!audit) return;
  const action = typeof audit.action === 'function' ? audit.action(input, output) : audit.action;
  await services.accessLog.record(session, {
    action,
    screen: audit.screen,
    ...audit.details?.(input, output),
  });
}

/**
 * The one entry point for every caller: validate the input, enforce the gate, run the handler,
 * and answer with a value or a structured error (never a stack trace).
 */
export async function dispatch(
  services: HandlerServices,
  log: Logger,
  session: Session,
  channel: unknown,
  input: unknown,
): Promise<Result<unknown>> {
  try {
    if (!isChannel(channel)) {
      throw new AppError('UNKNOWN_CHANNEL', 'That operation does not exist.');
    }
    const spec = contract[channel];
    const parsed = spec.input.safeParse(input ?? {});
    if (!parsed.success) {
      const fieldErrors = fieldErrorsOf(parsed.error);
      throw new AppError('VALIDATION', 'Some fields need attention.', { fieldErrors });
    }
    await services.auth.enforceGate(session, spec.gate);
    enforceRoles(session, spec.roles);
    const staff = () => {
      if (!session.signedIn) throw new AppError('UNAUTHENTICATED', 'Sign in first.');
      return session.signedIn;
    };
    const ctx: HandlerContext = {
      session,
      services,
      staff,
      actor: () => ({ staffId: staff().staffId, role: staff().role }),
    };
    const handler = handlers[channel] as Handler<Channel>;
    const value = await handler(parsed.data as never, ctx);
    await writeAccessEntry(services, session, spec.audit as AccessAudit<unknown, unknown>, [
      parsed.data,
      value,
    ]);
    return { ok: true, value };
  } catch (err) {
    if (err instanceof AppError) return { ok: false, error: err.toShape() };
    // Database errors can carry SQL with bound values (customer data): log the kind, not the text.
    const ref = randomUUID().slice(0, 8);
    log.error('unexpected error', {
      ref,
      channel: typeof channel === 'string' ? channel : '?',
      kind: err instanceof Error ? err.name : typeof err,
      code: (err as { code?: unknown }).code,
    });
    return {
      ok: false,
      error: {
        code: 'INTERNAL',
        message: `Something went wrong and nothing was changed. If it happens again, give this reference to your administrator: ${ref}.`,
      },
    };
  }
}
