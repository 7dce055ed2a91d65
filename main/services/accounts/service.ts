import { v7 as uuidv7 } from 'uuid';
import {
  FIELDS,
  FIELD_BY_KEY,
  isFieldKey,
  type FieldKey,
  type ProvenanceSource,
} from '../../../shared/catalogue';
import { AppError } from '../../../shared/errors';
import { postalCodeProblem } from '../../../shared/rules';
import type {
  AccountDetail,
  AccountPage,
  AccountRow,
  FieldChange,
  FieldValue,
  HistoryEntry,
} from '../../../shared/types';
import { canEdit, canRead, type AccessMap } from '../../../shared/visibility';
import { ROLE_LABELS, type Role } from '../../../shared/roles';
import { fieldValue, rowToValues, type AccountRecord } from '../../db/stores/accounts/account-row';
import {
  type AccountsStore,
  type AccountWriter,
  type ListQuery,
} from '../../db/stores/accounts/store';
import { maskValue } from '../../policy/masks';
import {
  exportFieldRules,
  projectFields,
  visibleAccess,
  visibleFieldRules,
} from '../../policy/visibility';
import type { AccessSource } from '../visibility';
import { madeOfflineAt } from '../offline-claim';

export type { ListQuery } from '../../db/stores/accounts/store';
export { EXPORT_WINDOW } from '../../db/stores/accounts/store';

export interface Actor {
  staffId: string;
  role: Role;
}

export interface Provenance {
  source: ProvenanceSource;
  date: string;
}

type Values = Partial<Record<FieldKey, FieldValue>>;

/** Answers tried with a fresh matrix before giving up (only while it keeps changing). */
const ATTEMPTS = 3;

export class AccountsService {
  private readonly accessFor: (role: Role) => Promise<AccessMap>;

  constructor(
    /** The accounts' rows; the composition root gives it the engine's prepared reads. */
    private readonly store: AccountsStore,
    private readonly visibility: AccessSource,
  ) {
    this.accessFor = (role) => visibility.accessFor(role);
  }

  /**
   * Runs `read` with the role's access from memory; `read` selects the matrix revision with its
   * rows and answers the revision it saw (null: it read no row). An answer projected with a
   * matrix that is no longer the one in force is thrown away and read again with the new one.
   */
  private async withAccess<T>(
    role: Role,
    read: (access: Readonly<AccessMap>) => Promise<{ value: T; revision: number | null }>,
  ): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const current = await this.visibility.cachedAccess(role);
      const answer = await read(current.access);
      const seen = answer.revision ?? (await this.visibility.revision());
      if (seen === current.revision) return answer.value;
      this.visibility.invalidate();
      if (attempt === ATTEMPTS) {
        throw new AppError(
          'CONFLICT',
          'The access matrix is being changed right now. Try again in a moment.',
        );
      }
    }
  }

  async list(actor: Actor, q: ListQuery): Promise<AccountPage> {
    return this.withAccess(actor.role, async (access) => {
      const page = await this.store.page(access, visibleFieldRules(access), q);
      return {
        revision: page.revision,
        value: {
          rows: page.rows,
          nextCursor: page.nextCursor,
          access: visibleAccess(access),
          searchKind: page.searchKind,
        },
      };
    });
  }

  /**
   * Every account a list query selects, in its order, as the values of `fields` the role may see
   * (masked where masked): for exports, which stream. Read in chunks of EXPORT_CHUNK accounts,
   * each with the matrix revision; a matrix change during the export ends it with an error
   * (the export writer then leaves no file).
   */
  async *exportRows(
    actor: Actor,
    q: Omit<ListQuery, 'cursor' | 'limit'>,
    fields: readonly FieldKey[],
    /** Tests choose how a search sorted by a column is read, and the window's size. */
    how: { walk?: boolean; window?: number } = {},
  ): AsyncGenerator<FieldValue[][]> {
    const { access, revision } = await this.visibility.cachedAccess(actor.role);
    // Hidden fields are refused when the first row would be projected, as they always were.
    const rules = () => exportFieldRules(access, fields);
    for await (const chunk of this.store.exportChunks(access, q, fields, rules, how)) {
      if (chunk.revision !== null && chunk.revision !== revision) {
        this.visibility.invalidate();
        throw new AppError(
          'CONFLICT',
          'The access matrix changed during the export, so nothing was exported. Export again.',
        );
      }
      if (chunk.rows > 0) yield chunk.project();
    }
  }

  async get(actor: Actor, id: string): Promise<AccountDetail> {
    return this.withAccess(actor.role, async (access) => {
      const found = await this.store.detail(id);
      // Says nothing any role may not know, whatever the matrix.
      if (!found) throw new AppError('NOT_FOUND', 'No such account. It may have been removed.');
      return { revision: found.revision, value: this.detail(found.row, access) };
    });
  }

  /**
   * These accounts as list rows, in the order given, each the role's projection (hidden fields
   * absent, masked ones masked); an account since removed is left out.
   */
  async rows(actor: Actor, ids: readonly string[]): Promise<AccountRow[]> {
    return this.withAccess(actor.role, async (access) => {
      const found = await this.store.rowsOf(ids);
      return {
        revision: found.revision,
        value: found.rows.map((row) => ({
          id: String(row.id),
          fields: projectFields(rowToValues(row), access),
        })),
      };
    });
  }

  private detail(row: AccountRecord, access: Readonly<AccessMap>): AccountDetail {
    return {
      id: row.id,
      version: Number(row.version),
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      fields: projectFields(rowToValues(row), access),
      access: visibleAccess(access),
    };
  }

  async create(actor: Actor, fields: Values, provenance: Provenance): Promise<AccountDetail> {
    const access = await this.accessFor(actor.role);
    const values = stripUndefined(fields);
    this.requireEditable(actor.role, access, Object.keys(values) as FieldKey[]);
    const merged: Record<FieldKey, FieldValue> = { ...defaults(), ...values };
    merged.provenanceSource = provenance.source;
    merged.provenanceDate = provenance.date;
    checkRecord(merged, Object.keys(values) as FieldKey[]);

    const id = uuidv7();
    await this.store.write(async (writer) => {
      const number = await writer.nextAccountNumber();
      const all = Object.fromEntries(FIELDS.map((f) => [f.key, merged[f.key]])) as Values;
      await writer.insert(id, number, all, merged, actor.staffId);
      await recordProvenance(writer, actor, id, 'created', provenance, values, null);
    });
    return this.get(actor, id);
  }

  async update(
    actor: Actor,
    id: string,
    version: number,
    changes: Values,
    provenance: Provenance,
  ): Promise<AccountDetail> {
    const access = await this.accessFor(actor.role);
    const requested = stripUndefined(changes);
    this.requireEditable(actor.role, access, Object.keys(requested) as FieldKey[]);

    return this.store.write(async (writer) => {
      const row = await writer.find(id);
      if (!row) throw new AppError('NOT_FOUND', 'No such account. It may have been removed.');
      if (Number(row.version) !== version) throw this.conflict(row, access);

      const current = rowToValues(row);
      const diff: Values = {};
      for (const [key, value] of Object.entries(requested) as [FieldKey, FieldValue][]) {
        if (current[key] !== value) diff[key] = value;
      }
      if (Object.keys(diff).length === 0) return this.detail(row, access);

      const merged = { ...current, ...diff };
      checkRecord(merged, Object.keys(diff) as FieldKey[]);
      if (!(await writer.updateAtVersion(id, version, diff, merged, actor.staffId))) {
        const fresh = await writer.find(id);
        throw this.conflict(fresh ?? row, access);
      }
      await recordProvenance(writer, actor, id, 'updated', provenance, diff, current);
      const after = await writer.find(id);
      return this.detail(after!, access);
    });
  }

  /**
   * Field-level history, oldest first. Each old and new value is shown only as far as the
   * viewer's role may see that field: hidden fields are left out, masked ones masked.
   */
  async history(actor: Actor, id: string): Promise<HistoryEntry[]> {
    const access = await this.accessFor(actor.role);
    if (!(await this.store.exists(id))) {
      throw new AppError('NOT_FOUND', 'No such account. It may have been removed.');
    }
    const { events, changes } = await this.store.history(id);
    const byEvent = new Map<string, typeof changes>();
    for (const c of changes)
      byEvent.set(c.provenance_id, [...(byEvent.get(c.provenance_id) ?? []), c]);
    return events.map((e) => ({
      id: e.id,
      event: e.event,
      at: e.recorded_at,
      ...(e.made_offline_at ? { madeOfflineAt: e.made_offline_at } : {}),
      by: e.display_name ?? 'System (seed or import)',
      source: canRead(access.provenanceSource) ? e.source : null,
      sourceDate:
        access.provenanceDate === 'hidden'
          ? null
          : access.provenanceDate === 'masked'
            ? maskValue(FIELD_BY_KEY.provenanceDate, e.source_date)
            : e.source_date,
      changes: (byEvent.get(e.id) ?? []).flatMap((c): FieldChange[] => {
        const key: unknown = c.field;
        if (typeof key !== 'string' || !isFieldKey(key)) return [];
        const field = FIELD_BY_KEY[key];
        const a = access[key];
        if (a === 'hidden') return [];
        const show = (v: string | null): FieldValue => {
          const value = fieldValue(field, v);
          return a === 'masked' ? maskValue(field, value) : value;
        };
        return [
          {
            field: key,
            label: field.label,
            access: a,
            oldValue: show(c.old_value),
            newValue: show(c.new_value),
          },
        ];
      }),
    }));
  }

  private conflict(row: AccountRecord, access: AccessMap): AppError {
    return new AppError(
      'CONFLICT',
      'Someone else saved this account after you opened it, so your changes were not saved. Your edits are still in the form: compare them with the current values and save again.',
      { details: { current: this.detail(row, access) } },
    );
  }

  private requireEditable(role: Role, access: AccessMap, keys: readonly FieldKey[]): void {
    const refused = keys.filter((k) => !canEdit(access[k]));
    if (refused.length === 0) return;
    const fieldErrors = Object.fromEntries(
      refused.map((k) => [k, `Your role (${ROLE_LABELS[role]}) may not change this field.`]),
    );
    throw new AppError(
      'FORBIDDEN',
      `Your role (${ROLE_LABELS[role]}) may not change: ${refused.map((k) => FIELD_BY_KEY[k].label).join(', ')}.`,
      { fieldErrors },
    );
  }
}

function stripUndefined(values: Values): Values {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Values;
}

function defaults(): Record<FieldKey, FieldValue> {
  const out = Object.fromEntries(FIELDS.map((f) => [f.key, null])) as Record<FieldKey, FieldValue>;
  out.balanceCents = 0;
  out.currency = 'USD';
  out.standing = 'good';
  out.fraudFlag = 'none';
  out.daysPastDue = 0;
  return out;
}

/** Rules across fields, checked on the record as it would be saved. */
function checkRecord(merged: Record<FieldKey, FieldValue>, touched: readonly FieldKey[]): void {
  const fieldErrors: Record<string, string> = {};
  for (const f of FIELDS) {
    if (f.required && (merged[f.key] === null || merged[f.key] === '')) {
      fieldErrors[f.key] = `${f.label} is required.`;
    }
  }
  if (merged.postalCode && (touched.includes('postalCode') || touched.includes('country'))) {
    const problem = postalCodeProblem(String(merged.postalCode), merged.country as string | null);
    if (problem) fieldErrors.postalCode = problem;
  }
  if (
    (merged.paymentBrand === null) !== (merged.paymentLast4 === null) &&
    (touched.includes('paymentBrand') || touched.includes('paymentLast4'))
  ) {
    fieldErrors[merged.paymentBrand === null ? 'paymentBrand' : 'paymentLast4'] =
      'Record the card brand and its last 4 digits together.';
  }
  if (Object.keys(fieldErrors).length > 0) {
    throw new AppError('VALIDATION', 'Some fields need attention.', { fieldErrors });
  }
}

function recordProvenance(
  writer: AccountWriter,
  actor: Actor,
  accountId: string,
  event: 'created' | 'updated',
  provenance: Provenance,
  changed: Values,
  before: Record<FieldKey, FieldValue> | null,
): Promise<void> {
  return writer.recordProvenance({
    staffId: actor.staffId,
    accountId,
    event,
    source: provenance.source,
    date: provenance.date,
    changed,
    before,
    madeOfflineAt: madeOfflineAt() ?? null,
  });
}
