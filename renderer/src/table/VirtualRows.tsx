import { flexRender, type ColumnDef, type Row } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import {
  memo,
  useEffect,
  type KeyboardEvent,
  type MouseEvent,
  type ReactNode,
  type RefObject,
} from 'react';
import type { VirtualTableProps } from './VirtualTable';

type BodyProps<T> = Pick<
  VirtualTableProps<T>,
  'scrollRef' | 'rowHeight' | 'gridTemplateColumns' | 'cellClass' | 'leading' | 'onOpen'
> & {
  rows: Row<T>[];
  /** The table's columns: a row is drawn again only when they (or its own data) change. */
  columns: ColumnDef<T, unknown>[];
  /** Called with the last row in view (overscan left out), to fetch more as the end comes near. */
  onScrolledTo(lastIndex: number): void;
};

/**
 * Rows drawn ahead of the viewport, each way: enough that a fast fling (a few rows a frame)
 * finds them already in the DOM, few enough that a page arriving adds little work.
 */
const OVERSCAN = 16;

/**
 * The body of a VirtualTable: only the rows in view (and the overscan) are in the DOM. Scrolling
 * re-renders this component alone (not the header), and each row is memoised, so a frame draws
 * only the rows that come into view; a page of rows arriving off-screen draws nothing new. The
 * rows' clicks and keys are handled once here (delegated), so a row's props are only its data
 * and its place.
 */
export function VirtualRows<T>(props: BodyProps<T>) {
  const { rows, scrollRef, rowHeight, onScrolledTo } = props;
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    // Every row is exactly this tall (border included), so nothing is measured.
    estimateSize: () => rowHeight,
    overscan: OVERSCAN,
  });
  const items = virtualizer.getVirtualItems();

  const lastInView = virtualizer.range?.endIndex ?? -1;
  useEffect(() => {
    onScrolledTo(lastInView);
  }, [lastInView, onScrolledTo]);

  /** Moves the focus to a row, scrolling it into view first (it may not be drawn yet). */
  const focusRow = (index: number) => {
    const target = Math.max(0, Math.min(rows.length - 1, index));
    virtualizer.scrollToIndex(target, { align: 'auto' });
    focusWhenDrawn(scrollRef, target);
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
  const rowAt = (e: MouseEvent | KeyboardEvent): [Row<T>, number] | null => {
    const el = (e.target as HTMLElement).closest<HTMLElement>('[data-index]');
    const index = Number(el?.dataset.index ?? NaN);
    const row = rows[index];
    return row ? [row, index] : null;
  };

  return (
    <div
      role="rowgroup"
      className="virtual-body"
      style={{ height: virtualizer.getTotalSize() }}
      onClick={(e) => {
        const hit = rowAt(e);
        if (hit) props.onOpen(hit[0]);
      }}
      onKeyDown={(e) => {
        const hit = rowAt(e);
        if (!hit) return;
        const move = MOVES[e.key];
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          props.onOpen(hit[0]);
        } else if (move && !e.altKey && !e.ctrlKey && !e.metaKey) {
          e.preventDefault();
          focusRow(move(hit[1]));
        }
      }}
    >
      {items.map((item) => {
        const row = rows[item.index]!;
        return (
          <VirtualRow
            key={row.id}
            row={row}
            index={item.index}
            start={item.start}
            size={item.size}
            columns={props.columns}
            gridTemplateColumns={props.gridTemplateColumns}
            cellClass={props.cellClass}
            leading={props.leading?.cell}
            chosen={props.leading?.chosen(row) ?? false}
          />
        );
      })}
    </div>
  );
}

/** Focuses a row once it is in the DOM (a scroll to it draws it a frame or two later). */
function focusWhenDrawn(scrollRef: RefObject<HTMLDivElement | null>, index: number) {
  let tries = 0;
  const tryFocus = () => {
    const el = scrollRef.current?.querySelector<HTMLElement>(`[aria-rowindex="${index + 2}"]`);
    if (el) el.focus();
    else if (++tries < 10) requestAnimationFrame(tryFocus);
  };
  tryFocus();
}

interface RowProps<T> {
  row: Row<T>;
  index: number;
  start: number;
  size: number;
  columns: ColumnDef<T, unknown>[];
  gridTemplateColumns: string;
  cellClass(columnId: string): string;
  leading: ((row: Row<T>) => ReactNode) | undefined;
  chosen: boolean;
}

/**
 * What a row draws depends on its data (`row.original`: TanStack makes new Row objects for
 * every row when a page arrives, but the data objects stay), its place, the columns and
 * whether it is chosen. The functions passed (cellClass, leading) are pure given those, so
 * a new closure alone does not draw the row again.
 */
const sameRow = <T,>(a: RowProps<T>, b: RowProps<T>) =>
  a.row.original === b.row.original &&
  a.row.id === b.row.id &&
  a.index === b.index &&
  a.start === b.start &&
  a.size === b.size &&
  a.columns === b.columns &&
  a.gridTemplateColumns === b.gridTemplateColumns &&
  a.chosen === b.chosen &&
  (a.leading === undefined) === (b.leading === undefined);

const VirtualRow = memo(function VirtualRow<T>(p: RowProps<T>) {
  const { row, leading } = p;
  return (
    <div
      role="row"
      tabIndex={0}
      aria-rowindex={p.index + 2}
      data-index={p.index}
      data-row-id={row.id}
      className={`accounts-row accounts-body-row${p.index % 2 ? ' odd' : ''}`}
      style={{
        gridTemplateColumns: p.gridTemplateColumns,
        height: p.size,
        transform: `translateY(${p.start}px)`,
      }}
    >
      {leading && (
        <div
          role="cell"
          className="accounts-cell"
          // The checkbox is not a click on the row (which would open the account).
          onClick={(e) => e.stopPropagation()}
          onKeyDown={(e) => e.stopPropagation()}
        >
          {leading(row)}
        </div>
      )}
      {row.getVisibleCells().map((cell) => (
        <div key={cell.id} role="cell" className={p.cellClass(cell.column.id)}>
          {flexRender(cell.column.columnDef.cell, cell.getContext())}
        </div>
      ))}
    </div>
  );
}, sameRow) as <T>(p: RowProps<T>) => ReactNode;
