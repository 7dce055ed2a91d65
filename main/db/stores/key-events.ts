/** The key_events table: backups, restores and new recovery keys, append-only. */
import type { Knex } from 'knex';
import { v7 as uuidv7 } from 'uuid';

export type KeyEventKind = 'backup' | 'restore' | 'recovery_key_regenerated';

export interface KeyEvent {
  id: string;
  event: KeyEventKind;
  actorId: string | null;
  via: 'console' | 'command line' | 'schedule';
  detail: Record<string, unknown> | null;
  at: string;
}

export async function recordKeyEvent(
  db: Knex,
  e: Omit<KeyEvent, 'id' | 'at'>,
  now = new Date(),
): Promise<void> {
  await db('key_events').insert({
    id: uuidv7(),
    event: e.event,
    actor_id: e.actorId,
    via: e.via,
    detail: e.detail ? JSON.stringify(e.detail) : null,
    at: now.toISOString(),
  });
}

export async function listKeyEvents(db: Knex): Promise<KeyEvent[]> {
  const rows = (await db('key_events').orderBy('at').orderBy('id').select('*')) as Record<
    string,
    unknown
  >[];
  return rows.map((r) => ({
    id: String(r.id),
    event: r.event as KeyEventKind,
    actorId: (r.actor_id as string | null) ?? null,
    via: r.via as KeyEvent['via'],
    detail: r.detail ? (JSON.parse(String(r.detail)) as Record<string, unknown>) : null,
    at: String(r.at),
  }));
}
