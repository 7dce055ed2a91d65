/**
 * Builds account and provenance rows (in the layout of LOAD_ACCOUNT_COLUMNS,
 * main/db/stores/imports.ts) from checked rows of one file.
 */
import type { FieldKey } from '../../../shared/catalogue';
import type { FieldValue } from '../../../shared/types';
import { IdSource } from '../../ids';
import {
  DERIVED_COLUMNS,
  type KEYED_FIELDS,
  valuesToColumns,
} from '../../db/stores/accounts/account-row';
import { LOADED_FIELDS } from '../../db/stores/imports';
import { IMPORT_DEFAULTS, type RowValidator, type RowValues } from './rules';

export class RowBuilder {
  private readonly ids = new IdSource();
  private readonly suppliedJson = new Map<string, string>();
  /** For each written field, its column in the file (-1: not in the file) and default. */
  private readonly sources: { at: number; fallback: FieldValue }[];
  private readonly keyedAt: Record<(typeof KEYED_FIELDS)[number], number>;
  private readonly numberAt: number;

  constructor(private readonly validator: RowValidator) {
    this.sources = LOADED_FIELDS.map((f) => ({
      at: validator.columnOf(f.key),
      fallback: IMPORT_DEFAULTS[f.key] ?? null,
    }));
    this.keyedAt = {
      firstName: validator.columnOf('firstName'),
      lastName: validator.columnOf('lastName'),
      email: validator.columnOf('email'),
      phone: validator.columnOf('phone'),
    };
    this.numberAt = validator.columnOf('accountNumber');
  }

  account(id: string, number: string, values: RowValues): unknown[] {
    const row: unknown[] = [id, number];
    for (const { at, fallback } of this.sources) {
      row.push(at < 0 ? fallback : (values[at] ?? fallback));
    }
    const k = this.keyedAt;
    const keyed = {
      firstName: k.firstName < 0 ? null : (values[k.firstName] ?? null),
      lastName: k.lastName < 0 ? null : (values[k.lastName] ?? null),
      email: k.email < 0 ? null : (values[k.email] ?? null),
      phone: k.phone < 0 ? null : (values[k.phone] ?? null),
    };
    const derived = valuesToColumns(keyed, keyed as Record<FieldKey, FieldValue>);
    for (const c of DERIVED_COLUMNS) row.push(derived[c] ?? null);
    return row;
  }

  /** The provenance record: the fields the file supplied (non-blank), cached per combination. */
  provenance(accountId: string, values: RowValues): unknown[] {
    let signature = '';
    for (let i = 0; i < values.length; i++) {
      signature += i !== this.numberAt && values[i] !== null ? '1' : '0';
    }
    let fields = this.suppliedJson.get(signature);
    if (fields === undefined) {
      const columns = this.validator.header.columns;
      fields = JSON.stringify(
        columns.filter((_, i) => signature.charCodeAt(i) === 49).map((f) => f.key),
      );
      this.suppliedJson.set(signature, fields);
    }
    return [this.ids.next(), accountId, fields];
  }

  nextId(): string {
    return this.ids.next();
  }
}
