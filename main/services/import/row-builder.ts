/**
 * Builds account rows (in the layout of LOAD_ACCOUNT_COLUMNS,
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
  /** For each written field, its column in the file (-1: not in the file) and default. */
  private readonly sources: { at: number; fallback: FieldValue }[];
  private readonly keyedAt: Record<(typeof KEYED_FIELDS)[number], number>;

  constructor(validator: RowValidator) {
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

  nextId(): string {
    return this.ids.next();
  }
}
