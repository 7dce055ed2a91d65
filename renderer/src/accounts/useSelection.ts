import { useState } from 'react';

/** Rows ticked for bulk marking, kept across searches (the count is always shown). */
export function useSelection(shownIds: readonly string[]) {
  const [selected, setSelected] = useState<ReadonlySet<string>>(() => new Set());
  const allShown = shownIds.length > 0 && shownIds.every((id) => selected.has(id));
  const someShown = shownIds.some((id) => selected.has(id));
  const toggle = (id: string) =>
    setSelected((prev) => {
      const next = new Set(prev);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  const toggleAllShown = () =>
    setSelected((prev) => {
      const next = new Set(prev);
      for (const id of shownIds) {
        if (allShown) next.delete(id);
        else next.add(id);
      }
      return next;
    });
  const clear = () => setSelected(new Set());
  return { selected, allShown, someShown, toggle, toggleAllShown, clear };
}

export type Selection = ReturnType<typeof useSelection>;
