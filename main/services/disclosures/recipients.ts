import type { Knex } from 'knex';
import { v7 as uuidv7 } from 'uuid';
import { AppError } from '../../../shared/errors';
import type { RecipientType } from '../../../shared/disclosure';
import type { Recipient } from '../../../shared/types';
import { dbNow, toIso } from '../../db/connect';

export interface RecipientInput {
  name: string;
  type: RecipientType;
  contact: string;
  reference?: string | null | undefined;
}

export function toRecipient(r: Record<string, unknown>): Recipient {
  return {
    id: String(r.id),
    name: String(r.name),
    type: r.type as RecipientType,
    contact: String(r.contact),
    reference: (r.reference as string | null) ?? null,
    active: Boolean(r.active),
    version: Number(r.version),
    createdAt: toIso(r.created_at),
    updatedAt: toIso(r.updated_at),
  };
}

/** Registered third parties. Every change is recorded with a snapshot, append-only. */
export class RecipientsService {
  constructor(private readonly db: Knex) {}

  async list(): Promise<Recipient[]> {
    return (await this.db('recipients').orderBy('name')).map(toRecipient);
  }

  async get(id: string): Promise<Recipient> {
    const row = await this.db('recipients').where({ id }).first();
    if (!row) throw new AppError('NOT_FOUND', 'No such recipient.');
    return toRecipient(row);
  }

  async create(actorId: string, input: RecipientInput): Promise<Recipient> {
    const id = uuidv7();
    await this.db.transaction(async (trx) => {
      await trx('recipients').insert({
        id,
        name: input.name,
        type: input.type,
        contact: input.contact,
        reference: input.reference ?? null,
        active: true,
        created_at: dbNow(trx),
        updated_at: dbNow(trx),
        version: 1,
      });
      await this.event(trx, id, actorId, 'registered');
    });
    return this.get(id);
  }

  async update(
    actorId: string,
    id: string,
    version: number,
    patch: Partial<RecipientInput> & { active?: boolean | undefined },
  ): Promise<Recipient> {
    await this.db.transaction(async (trx) => {
      const changes: Record<string, unknown> = {};
      for (const key of ['name', 'type', 'contact', 'reference', 'active'] as const) {
        if (patch[key] !== undefined) changes[key] = patch[key];
      }
      const n = await trx('recipients')
        .where({ id, version })
        .update({ ...changes, version: version + 1, updated_at: dbNow(trx) });
      if (n !== 1) {
        const exists = await trx('recipients').where({ id }).first('id');
        if (!exists) throw new AppError('NOT_FOUND', 'No such recipient.');
        throw new AppError(
          'CONFLICT',
          'Someone else changed this recipient after you opened it. Reload and try again.',
        );
      }
      const event =
        patch.active === false ? 'deactivated' : patch.active === true ? 'reactivated' : 'changed';
      await this.event(trx, id, actorId, event);
    });
    return this.get(id);
  }

  private async event(
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
}
