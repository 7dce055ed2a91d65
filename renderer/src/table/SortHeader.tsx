import { IconArrowDown, IconArrowUp, IconArrowsSort } from '@tabler/icons-react';
import { flexRender, type Header } from '@tanstack/react-table';

/** A column header: a sort button with the direction shown, or the plain label. */
export function SortHeader<T>({ header }: { header: Header<T, unknown> }) {
  const label = flexRender(header.column.columnDef.header, header.getContext());
  if (!header.column.getCanSort()) return <>{label}</>;
  const sorted = header.column.getIsSorted();
  return (
    <button
      type="button"
      className="sort-button"
      onClick={header.column.getToggleSortingHandler()}
      title={`Sort by ${String(header.column.columnDef.header)}`}
    >
      {label}
      {sorted === 'asc' ? (
        <IconArrowUp size={14} aria-hidden />
      ) : sorted === 'desc' ? (
        <IconArrowDown size={14} aria-hidden />
      ) : (
        <IconArrowsSort size={14} aria-hidden opacity={0.45} />
      )}
    </button>
  );
}

export function ariaSort(sorted: false | 'asc' | 'desc'): 'ascending' | 'descending' | undefined {
  return sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined;
}
