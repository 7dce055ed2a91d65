import { v7 as uuidv7 } from 'uuid';
import { AppError } from '../../../shared/errors';
import type { RecipientType } from '../../../shared/disclosure';
import type { Recipient } from '../../../shared/types';
import type { Db } from '../../db/handle';
import { RecipientsStore, type RecipientChanges } from '../../db/stores/recipients';
import { parseRecipientKey, type RecipientKey } from '../exports/seal';

export interface RecipientInput {
  name: string;
  type: RecipientType;
  contact: string;
  reference?: string | null | undefined;
  openpgpKey?: string | null | undefined;
}

/** The key's columns: validated and fingerprinted, or cleared with null. */
async function keyColumns(
  armored: string | null | undefined,
): Promise<Pick<RecipientChanges, 'openpgp_key' | 'openpgp_fingerprint'>> {
  if (armored === undefined) return {};
  if (armored === null || armored.trim() === '') {
    return { openpgp_key: null, openpgp_fingerprint: null };
  }
  const key = await parseRecipientKey(armored);
  return { openpgp_key: key.armored, openpgp_fingerprint: key.fingerprint };
}

/** Registered third parties. Every change is recorded with a snapshot, append-only. */
export class RecipientsService {
  private readonly store: RecipientsStore;

  constructor(db: Db) {
    this.store = new RecipientsStore(db);
  }

  list(): Promise<Recipient[]> {
    return this.store.list();
  }

  /** The key a file for this recipient is sealed to, or null (the file is written in clear). */
  sealingKey(id: string): Promise<RecipientKey | null> {
    return this.store.sealingKey(id);
  }

  async get(id: string): Promise<Recipient> {
    const recipient = await this.store.find(id);
    if (!recipient) throw new AppError('NOT_FOUND', 'No such recipient.');
    return recipient;
  }

  async create(actorId: string, input: RecipientInput): Promise<Recipient> {
    const id = uuidv7();
    await this.store.insert(actorId, id, {
      name: input.name,
      type: input.type,
      contact: input.contact,
      reference: input.reference ?? null,
      ...(await keyColumns(input.openpgpKey)),
    });
    return this.get(id);
  }

  async update(
    actorId: string,
    id: string,
    version: number,
    patch: Partial<RecipientInput> & { active?: boolean | undefined },
  ): Promise<Recipient> {
    const changes: RecipientChanges = await keyColumns(patch.openpgpKey);
    for (const key of ['name', 'type', 'contact', 'reference', 'active'] as const) {
      if (patch[key] !== undefined) Object.assign(changes, { [key]: patch[key] });
    }
    const event =
      patch.active === false ? 'deactivated' : patch.active === true ? 'reactivated' : 'changed';
    const outcome = await this.store.update(actorId, id, version, changes, event);
    if (outcome === 'missing') throw new AppError('NOT_FOUND', 'No such recipient.');
    if (outcome === 'stale') {
      throw new AppError(
        'CONFLICT',
        'Someone else changed this recipient after you opened it. Reload and try again.',
      );
    }
    return this.get(id);
  }
}
