/**
 * The field rules of main/policy/visibility.ts applied to rows read as arrays of columns (a page
 * of the accounts list, an export's chunk): which column holds which field is worked out once
 * per statement, not per row, and the values are read as `rowToValues` reads a record.
 */
import type { FieldValue, VisibleFields } from '../../../shared/types';
import type { FieldRule } from '../../policy/visibility';
import { fieldValue } from '../stores/accounts/account-row';

/** How one rule reads its field out of a row. */
interface CellPlan {
  field: FieldRule['field'];
  /** Its column in the row (-1: not selected, so null). */
  at: number;
  show: FieldRule['show'];
}

function planOf(rule: FieldRule, columns: readonly string[]): CellPlan {
  const { field, show } = rule;
  return { field, at: columns.indexOf(field.column), show };
}

function cell(plan: CellPlan, row: readonly unknown[]): FieldValue {
  // As rowToValues reads a record.
  return plan.show(fieldValue(plan.field, plan.at < 0 ? null : row[plan.at]));
}

/** The visible fields of a row of `columns`, by the rules (visibleFieldRules). */
export function rowProjector(
  rules: readonly FieldRule[],
  columns: readonly string[],
): (row: readonly unknown[]) => VisibleFields {
  const plans = rules.map((r) => planOf(r, columns));
  return (row) => {
    const out: VisibleFields = {};
    for (const plan of plans) out[plan.field.key] = cell(plan, row);
    return out;
  };
}

/** The values of a row of `columns`, one per rule in order (exportFieldRules). */
export function cellsProjector(
  rules: readonly FieldRule[],
  columns: readonly string[],
): (row: readonly unknown[]) => FieldValue[] {
  const plans = rules.map((r) => planOf(r, columns));
  return (row) => plans.map((plan) => cell(plan, row));
}
