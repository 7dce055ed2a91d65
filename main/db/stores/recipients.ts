/**
 * The recipients store: the only writer of `recipients` and of `recipient_events`, the
 * append-only record of every change with a snapshot of the recipient after it.
 */
import type { Knex } from 'knex';
import { v7 as uuidv7 } from 'uuid';
import type { RecipientType } from '../../../shared/disclosure';
import type { Recipient } from '../../../shared/types';
import { dbNow, toIso } from '../connect';

/** What may be set on a recipient. */
export interface RecipientChanges {
  name?: string;
  type?: RecipientType;
  contact?: string;
  reference?: string | null;
  active?: boolean;
  /** The armored OpenPGP public key and its fingerprint, set and cleared together. */
  openpgp_key?: string | null;
  openpgp_fingerprint?: string | null;
}

function toRecipient(r: Record<string, unknown>): Recipient {
  return {
    id: String(r.id),
    name: String(r.name),
    type: r.type as RecipientType,
    contact: String(r.contact),
    reference: (r.reference as string | null) ?? null,
    openpgpFingerprint: (r.openpgp_fingerprint as string | null) ?? null,
    active: Boolean(r.active),
    version: Number(r.version),
    createdAt: toIso(r.created_at),
    updatedAt: toIso(r.updated_at),
  };
}

export class RecipientsStore {
  constructor(private readonly db: Knex) {}

  async list(): Promise<Recipient[]> {
    return (await this.db('recipients').orderBy('name')).map(toRecipient);
  }

  /** The recipient's OpenPGP key, to seal a file for them (null: none registered). */
  async sealingKey(id: string): Promise<{ armored: string; fingerprint: string } | null> {
    const row = (await this.db('recipients')
      .where({ id })
      .first('openpgp_key', 'openpgp_fingerprint')) as Record<string, unknown> | undefined;
    return row?.openpgp_key && row.openpgp_fingerprint
      ? { armored: String(row.openpgp_key), fingerprint: String(row.openpgp_fingerprint) }
      : null;
  }

  async find(id: string): Promise<Recipient | null> {
    const row = await this.db('recipients').where({ id }).first();
    return row ? toRecipient(row) : null;
  }

  /** Registers a recipient, recording the event by `actorId`. */
  async insert(
    actorId: string,
    id: string,
    r: Required<Omit<RecipientChanges, 'active' | 'openpgp_key' | 'openpgp_fingerprint'>> &
      Pick<RecipientChanges, 'openpgp_key' | 'openpgp_fingerprint'>,
  ): Promise<void> {
    await this.db.transaction(async (trx) => {
      await trx('recipients').insert({
        ...r,
        id,
        active: true,
        created_at: dbNow(trx),
        updated_at: dbNow(trx),
        version: 1,
      });
      await recordEvent(trx, id, actorId, 'registered');
    });
  }

  /**
   * Writes `changes` if the recipient is still at `version`, recording `event`; answers
   * 'missing' or 'stale' (changed meanwhile) when it did not write.
   */
  async update(
    actorId: string,
    id: string,
    version: number,
    changes: RecipientChanges,
    event: string,
  ): Promise<'done' | 'missing' | 'stale'> {
    return this.db.transaction(async (trx) => {
      const n = await trx('recipients')
        .where({ id, version })
        .update({ ...changes, version: version + 1, updated_at: dbNow(trx) });
      if (n !== 1) {
        const exists = await trx('recipients').where({ id }).first('id');
        return exists ? 'stale' : 'missing';
      }
      await recordEvent(trx, id, actorId, event);
      return 'done';
    });
  }
}

async function recordEvent(
  trx: Knex.Transaction,
  id: string,
  actorId: string,
  event: string,
): Promise<void> {
  const snapshot = toRecipient(await trx('recipients').where({ id }).first());
  await trx('recipient_events').insert({
    id: uuidv7(),
    recipient_id: id,
    actor_id: actorId,
    event,
    snapshot: JSON.stringify(snapshot),
    at: dbNow(trx),
  });
}
