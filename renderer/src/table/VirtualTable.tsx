import { flexRender, type Row, type Table } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, type ReactNode, type RefObject } from 'react';
import { SortHeader, ariaSort } from './SortHeader';

export interface VirtualTableProps<T> {
  /** A TanStack table (columns, sorting) whose rows are drawn here. */
  table: Table<T>;
  label: string;
  scrollRef: RefObject<HTMLDivElement | null>;
  rowHeight: number;
  /** CSS grid columns of every row (the leading column included). */
  gridTemplateColumns: string;
  /** The class of a column's cells (numeric columns align right). */
  cellClass(columnId: string): string;
  /** A column before the table's own (e.g. a selection checkbox). */
  leading?: { header: ReactNode; cell(row: Row<T>): ReactNode } | null | undefined;
  busy: boolean;
  onOpen(row: Row<T>): void;
  /** Called with the last row drawn, to fetch more as the end comes near. */
  onScrolledTo(lastIndex: number): void;
  /** Shown under the header when there are no rows. */
  empty?: ReactNode;
}

/**
 * A list of any length as an ARIA table of CSS-grid rows: only the rows in view are in the DOM
 * (TanStack Virtual), rows open on click or Enter, the arrow keys move between rows, headers sort.
 */
export function VirtualTable<T>(props: VirtualTableProps<T>) {
  const { table, scrollRef, rowHeight, gridTemplateColumns, cellClass, leading } = props;
  const rows = table.getRowModel().rows;
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();

  /** Moves the focus to a row, scrolling it into view first (it may not be drawn yet). */
  const focusRow = (index: number) => {
    const target = Math.max(0, Math.min(rows.length - 1, index));
    virtualizer.scrollToIndex(target, { align: 'auto' });
    let tries = 0;
    const tryFocus = () => {
      const el = scrollRef.current?.querySelector<HTMLElement>(`[aria-rowindex="${target + 2}"]`);
      if (el) el.focus();
      else if (++tries < 10) requestAnimationFrame(tryFocus);
    };
    tryFocus();
  };
  // ↑ ↓ move a row, Page Up/Down a screenful, Home/End to the ends of what is loaded.
  const page = Math.max(
    1,
    Math.floor((scrollRef.current?.clientHeight ?? rowHeight * 10) / rowHeight) - 1,
  );
  const MOVES: Record<string, (i: number) => number> = {
    ArrowDown: (i) => i + 1,
    ArrowUp: (i) => i - 1,
    PageDown: (i) => i + page,
    PageUp: (i) => i - page,
    Home: () => 0,
    End: () => rows.length - 1,
  };
  const lastIndex = items.at(-1)?.index ?? -1;
  const { onScrolledTo } = props;
  useEffect(() => {
    onScrolledTo(lastIndex);
  }, [lastIndex, onScrolledTo]);

  return (
    <div
      ref={scrollRef}
      className="accounts-scroll"
      role="table"
      aria-label={props.label}
      aria-rowcount={-1}
      aria-busy={props.busy}
    >
      <div role="rowgroup" className="accounts-head-group">
        {table.getHeaderGroups().map((group) => (
          <div
            key={group.id}
            role="row"
            className="accounts-row accounts-head"
            style={{ gridTemplateColumns }}
          >
            {leading && (
              <div role="columnheader" className="accounts-cell">
                {leading.header}
              </div>
            )}
            {group.headers.map((header) => (
              <div
                key={header.id}
                role="columnheader"
                className={cellClass(header.column.id)}
                aria-sort={ariaSort(header.column.getIsSorted())}
              >
                <SortHeader header={header} />
              </div>
            ))}
          </div>
        ))}
      </div>
      <div role="rowgroup" style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {items.map((item) => {
          const row = rows[item.index]!;
          return (
            <div
              key={row.id}
              role="row"
              tabIndex={0}
              aria-rowindex={item.index + 2}
              data-row-id={row.id}
              className={`accounts-row accounts-body-row${item.index % 2 ? ' odd' : ''}`}
              style={{
                gridTemplateColumns,
                height: item.size,
                width: '100%',
                transform: `translateY(${item.start}px)`,
              }}
              onClick={() => props.onOpen(row)}
              onKeyDown={(e) => {
                const move = MOVES[e.key];
                if (e.key === 'Enter' || e.key === ' ') {
                  e.preventDefault();
                  props.onOpen(row);
                } else if (move && !e.altKey && !e.ctrlKey && !e.metaKey) {
                  e.preventDefault();
                  focusRow(move(item.index));
                }
              }}
            >
              {leading && (
                <div
                  role="cell"
                  className="accounts-cell"
                  onClick={(e) => e.stopPropagation()}
                  onKeyDown={(e) => e.stopPropagation()}
                >
                  {leading.cell(row)}
                </div>
              )}
              {row.getVisibleCells().map((cell) => (
                <div key={cell.id} role="cell" className={cellClass(cell.column.id)}>
                  {flexRender(cell.column.columnDef.cell, cell.getContext())}
                </div>
              ))}
            </div>
          );
        })}
      </div>
      {rows.length === 0 && props.empty}
    </div>
  );
}
