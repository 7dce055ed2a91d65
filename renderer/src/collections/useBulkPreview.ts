import { useDebouncedValue } from '@mantine/hooks';
import { useMemo } from 'react';
import type { Standing } from '../../../shared/catalogue';
import type { Input } from '../../../shared/contract';
import { useChannel } from '../data';

const NOTHING: Input<'standing.bulkPreview'> = { selection: { accountIds: [] }, to: 'good' };

export type Selection = Input<'standing.bulkPreview'>['selection'];

/**
 * The preview follows the choices: what would change, and why the rest would be refused. It is
 * asked a moment after the choices stop changing; until its answer for them arrives there is none.
 */
export function useBulkPreview(selection: Selection | null, to: Standing | null) {
  const key = JSON.stringify([selection, to]);
  // key stands for selection and to (selection is a new object on every render).
  const input = useMemo(() => (selection && to ? { selection, to } : null), [key]);
  const [settled] = useDebouncedValue(input, 200);
  const current = input !== null && settled === input;
  // Without choices nothing is asked: the stand-in input is never sent.
  const read = useChannel('standing.bulkPreview', settled ?? NOTHING, { enabled: current });
  return {
    preview: current ? (read.data ?? null) : null,
    previewing: input !== null && (!current || read.fetching),
    error: current ? read.error : null,
  };
}
