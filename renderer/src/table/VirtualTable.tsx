import type { Row, Table } from '@tanstack/react-table';
import type { ReactNode, RefObject } from 'react';
import { SortHeader, ariaSort } from './SortHeader';
import { VirtualRows } from './VirtualRows';

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
  /**
   * A column before the table's own (e.g. a selection checkbox); `chosen` says whether a row's
   * cell shows it as chosen, so that the row is drawn again when that changes.
   */
  leading?:
    | { header: ReactNode; cell(row: Row<T>): ReactNode; chosen(row: Row<T>): boolean }
    | null
    | undefined;
  busy: boolean;
  onOpen(row: Row<T>): void;
  /** Called with the last row in view, to fetch more as the end comes near. */
  onScrolledTo(lastIndex: number): void;
  /** Shown under the header when there are no rows. */
  empty?: ReactNode;
}

/**
 * A list of any length as an ARIA table of CSS-grid rows: only the rows in view are in the DOM
 * (TanStack Virtual, in VirtualRows), rows open on click or Enter, the arrow keys move between
 * rows, headers sort. Scrolling draws the body only; the header is drawn when the table changes.
 */
export function VirtualTable<T>(props: VirtualTableProps<T>) {
  const { table, scrollRef, gridTemplateColumns, cellClass, leading } = props;
  const rows = table.getRowModel().rows;

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
      <VirtualRows
        rows={rows}
        columns={table.options.columns}
        scrollRef={scrollRef}
        rowHeight={props.rowHeight}
        gridTemplateColumns={gridTemplateColumns}
        cellClass={cellClass}
        leading={leading}
        onOpen={props.onOpen}
        onScrolledTo={props.onScrolledTo}
      />
      {rows.length === 0 && props.empty}
    </div>
  );
}
