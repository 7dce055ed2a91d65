/**
 * The team server's sessions (migration 0015): rows keyed by the SHA-256 of the token, read with
 * the staff member's current standing so that one query answers "is this session still good".
 */
import type { Knex } from 'knex';
import type { Role } from '../../../shared/roles';
import type { StaffSummary } from '../../../shared/types';

export interface ServerSessionRow {
  tokenHash: string;
  staffId: string;
  role: Role;
  locked: boolean;
  createdAt: string;
  lastActivity: string;
  expiresAt: string;
}

/** A session joined with its staff member as the staff table has them now. */
export interface ServerSessionWithStaff extends ServerSessionRow {
  staff: Pick<
    StaffSummary,
    'username' | 'displayName' | 'role' | 'active' | 'mustChangePassword' | 'lockedUntil'
  >;
}

export class ServerSessionStore {
  constructor(private readonly db: Knex) {}

  async insert(row: ServerSessionRow & { clientHostname: string; seenIp: string }): Promise<void> {
    await this.db('server_sessions').insert({
      token_hash: row.tokenHash,
      staff_id: row.staffId,
      role: row.role,
      locked: row.locked,
      created_at: row.createdAt,
      last_activity: row.lastActivity,
      expires_at: row.expiresAt,
      client_hostname: row.clientHostname,
      seen_ip: row.seenIp,
    });
  }

  async find(tokenHash: string): Promise<ServerSessionWithStaff | null> {
    const r = (await this.db('server_sessions as x')
      .join('staff as s', 's.id', 'x.staff_id')
      .where('x.token_hash', tokenHash)
      .first(
        'x.token_hash',
        'x.staff_id',
        'x.role',
        'x.locked',
        'x.created_at',
        'x.last_activity',
        'x.expires_at',
        's.username',
        's.display_name',
        's.role as staff_role',
        's.active',
        's.must_change_password',
        's.locked_until',
      )) as Record<string, unknown> | undefined;
    if (!r) return null;
    return {
      tokenHash: String(r.token_hash),
      staffId: String(r.staff_id),
      role: r.role as Role,
      locked: Boolean(r.locked),
      createdAt: String(r.created_at),
      lastActivity: String(r.last_activity),
      expiresAt: String(r.expires_at),
      staff: {
        username: String(r.username),
        displayName: String(r.display_name),
        role: r.staff_role as Role,
        active: Boolean(r.active),
        mustChangePassword: Boolean(r.must_change_password),
        lockedUntil: r.locked_until ? String(r.locked_until) : null,
      },
    };
  }

  async update(
    tokenHash: string,
    change: { locked: boolean; lastActivity: string },
  ): Promise<void> {
    await this.db('server_sessions')
      .where('token_hash', tokenHash)
      .update({ locked: change.locked, last_activity: change.lastActivity });
  }

  async remove(tokenHash: string): Promise<void> {
    await this.db('server_sessions').where('token_hash', tokenHash).delete();
  }

  /** Ends every session of a staff member (their deactivation, for instance). */
  async removeForStaff(staffId: string): Promise<number> {
    return this.db('server_sessions').where('staff_id', staffId).delete();
  }

  /** Deletes sessions past their expiry or idle limit; answers how many. */
  async prune(nowIso: string, idleBeforeIso: string): Promise<number> {
    return this.db('server_sessions')
      .where('expires_at', '<=', nowIso)
      .orWhere('last_activity', '<=', idleBeforeIso)
      .delete();
  }
}
