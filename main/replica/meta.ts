/** What a replica was filled under, as kept in its meta table (read back through zod). */
import { z } from 'zod';
import { ROLES } from '../../shared/roles';
import { ACCESS_LEVELS } from '../../shared/visibility';
import type { VisibleAccess } from '../../shared/types';

export interface ReplicaMeta {
  staffId: string | null;
  role: (typeof ROLES)[number] | null;
  matrixRevision: number | null;
  access: VisibleAccess;
  cursor: string;
  /** This workstation's clock at the last successful pull (the lease runs from it). */
  lastContact: string | null;
  /** The server's clock then (shown to the user). */
  serverTime: string | null;
  leaseHours: number | null;
  /** Whether a first fill has finished. */
  filled: boolean;
  /** What lets this workstation ask about the member without a session (sync.contact). */
  contactTicket: string | null;
}

const accessSchema = z.record(z.string(), z.enum(ACCESS_LEVELS));

export function readMeta(raw: Record<string, string>): ReplicaMeta {
  const int = (v: string | undefined) =>
    v === undefined ? null : z.coerce.number().int().parse(v);
  return {
    staffId: raw.staffId ?? null,
    role: raw.role === undefined ? null : z.enum(ROLES).parse(raw.role),
    matrixRevision: int(raw.matrixRevision),
    access: (raw.access ? accessSchema.parse(JSON.parse(raw.access)) : {}) as VisibleAccess,
    cursor: raw.cursor ?? '0',
    lastContact: raw.lastContact ?? null,
    serverTime: raw.serverTime ?? null,
    leaseHours: int(raw.leaseHours),
    filled: raw.filled === '1',
    contactTicket: raw.contactTicket ?? null,
  };
}
