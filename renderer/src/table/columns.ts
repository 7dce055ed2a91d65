import type { ColumnDef } from '@tanstack/react-table';
import type { ReactNode } from 'react';

/** A display column: a header, and a cell drawn from the row (the common case for our lists). */
export function column<T>(
  id: string,
  header: ReactNode,
  cell: (row: T) => ReactNode,
  meta?: ColumnDef<T>['meta'],
): ColumnDef<T> {
  return {
    id,
    header: () => header,
    cell: (ctx) => cell(ctx.row.original),
    ...(meta ? { meta } : {}),
  };
}
