import { notifications } from '@mantine/notifications';
import { useMemo, useState } from 'react';
import { FIELDS, type FieldKey } from '../../../shared/catalogue';
import { ROLES, type Role } from '../../../shared/roles';
import type { VisibilityMatrix } from '../../../shared/types';
import type { Access } from '../../../shared/visibility';
import type { ApiError } from '../api';
import { useAction } from '../data';
import { cellKey } from './MatrixTable';

interface Refused {
  cells: Record<string, string>;
  reason: string | null;
  message: string | null;
}
const NONE: Refused = { cells: {}, reason: null, message: null };

type Change = { role: Role; field: FieldKey; access: Access };

/** A refusal placed where it belongs: on a change's cell, under the reason, or above both. */
function placeRefusal(err: ApiError, changes: readonly Change[]): Refused {
  const raw = err.fieldErrors ?? {};
  const cells: Record<string, string> = {};
  for (const [path, msg] of Object.entries(raw)) {
    const m = /^changes\.(\d+)\./.exec(path);
    const change = m ? changes[Number(m[1])] : undefined;
    if (change) cells[cellKey(change.role, change.field)] = msg;
  }
  const hasCells = Object.keys(cells).length > 0;
  const unplaced = Object.entries(raw)
    .filter(([path]) => path !== 'reason')
    .map(([, text]) => text);
  const text = [err.message, ...unplaced].join(' ');
  return {
    cells,
    reason: raw.reason ?? null,
    message: !raw.reason || hasCells ? (hasCells ? 'Some changes are not allowed.' : text) : null,
  };
}

/** The changes made in the matrix and not saved yet, their reason, and the save. */
export function useMatrixChanges(value: VisibilityMatrix) {
  const [pending, setPending] = useState<Map<string, Access>>(new Map());
  const [reason, setReason] = useState('');
  const [refused, setRefused] = useState<Refused>(NONE);
  const changeList = useMemo(
    () =>
      [...pending.entries()].map(([key, access]): Change => {
        const [role, field] = key.split(':') as [Role, FieldKey];
        return { role, field, access };
      }),
    [pending],
  );
  const update = useAction('visibility.update', {
    onRefused: (err, input) => setRefused(placeRefusal(err, input.changes)),
  });
  const customCount = useMemo(
    () =>
      ROLES.reduce(
        (n, role) =>
          n +
          FIELDS.filter((f) => value.matrix[role][f.key] !== value.defaults[role][f.key]).length,
        0,
      ),
    [value],
  );

  function setCell(role: Role, field: FieldKey, access: Access) {
    const next = new Map(pending);
    if (value.matrix[role][field] === access) next.delete(cellKey(role, field));
    else next.set(cellKey(role, field), access);
    setPending(next);
    setRefused((r) => ({ ...NONE, reason: r.reason }));
  }

  async function save() {
    setRefused(NONE);
    const next = await update.run({ changes: changeList, reason: reason.trim() });
    if (!next) return;
    notifications.show({
      color: 'teal',
      title: 'Access matrix saved',
      message: `${changeList.length} change${changeList.length === 1 ? '' : 's'} in force now, for open sessions too.`,
    });
    setPending(new Map());
    setReason('');
  }

  return {
    pending,
    reason,
    setReason(next: string) {
      setReason(next);
      setRefused((r) => ({ ...r, reason: null }));
    },
    refused,
    busy: update.busy,
    customCount,
    setCell,
    discard() {
      setPending(new Map());
      setRefused(NONE);
    },
    save,
  };
}
