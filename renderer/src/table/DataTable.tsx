import {
  Skeleton,
  Table,
  type TableProps,
  type TableTdProps,
  type TableThProps,
  type TableTrProps,
} from '@mantine/core';
import {
  flexRender,
  getCoreRowModel,
  useReactTable,
  type ColumnDef,
  type RowData,
} from '@tanstack/react-table';
import { Fragment, type ReactNode } from 'react';

declare module '@tanstack/react-table' {
  // Mantine props for a column's header and body cells (alignment, width, font).
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface ColumnMeta<TData extends RowData, TValue> {
    th?: TableThProps;
    td?: TableTdProps;
  }
}

export interface DataTableProps<T> {
  /** The table's accessible name. */
  label: string;
  data: readonly T[];
  // Columns of different value types in one list: TanStack's own idiom.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  columns: ColumnDef<T, any>[];
  getRowId(row: T, index: number): string;
  /** True until the first answer: one placeholder row. */
  loading?: boolean;
  /** What an empty, loaded list shows (a sentence or a small block), in one full-width row. */
  empty?: ReactNode;
  /** Attributes of a body row (data-* ids for tests, data-inactive for a greyed row). */
  rowProps?(row: T): TableTrProps & Record<`data-${string}`, string | undefined>;
  /** A full-width row under a row (e.g. the refusal of an action on it). */
  after?(row: T): ReactNode;
  tableProps?: TableProps;
}

/**
 * Every list of the console (except the virtualised accounts list, see VirtualTable) as one
 * Mantine table driven by TanStack Table: columns declared once with their header and cell,
 * placeholder and empty rows the same everywhere.
 */
export function DataTable<T>({
  label,
  data,
  columns,
  getRowId,
  loading = false,
  empty,
  rowProps,
  after,
  tableProps,
}: DataTableProps<T>) {
  const table = useReactTable({
    data: data as T[],
    columns,
    getRowId,
    getCoreRowModel: getCoreRowModel(),
  });
  const span = columns.length;
  const rows = table.getRowModel().rows;
  return (
    <Table
      striped
      highlightOnHover
      verticalSpacing="xs"
      horizontalSpacing="md"
      aria-label={label}
      {...tableProps}
    >
      <Table.Thead>
        {table.getHeaderGroups().map((group) => (
          <Table.Tr key={group.id}>
            {group.headers.map((header) => (
              <Table.Th key={header.id} {...header.column.columnDef.meta?.th}>
                {flexRender(header.column.columnDef.header, header.getContext())}
              </Table.Th>
            ))}
          </Table.Tr>
        ))}
      </Table.Thead>
      <Table.Tbody>
        {loading && rows.length === 0 && (
          <Table.Tr>
            <Table.Td colSpan={span}>
              <Skeleton h={24} />
            </Table.Td>
          </Table.Tr>
        )}
        {!loading && rows.length === 0 && empty && (
          <Table.Tr>
            <Table.Td colSpan={span}>{empty}</Table.Td>
          </Table.Tr>
        )}
        {rows.map((row) => {
          const below = after?.(row.original);
          return (
            <Fragment key={row.id}>
              <Table.Tr {...rowProps?.(row.original)}>
                {row.getVisibleCells().map((cell) => (
                  <Table.Td key={cell.id} {...cell.column.columnDef.meta?.td}>
                    {flexRender(cell.column.columnDef.cell, cell.getContext())}
                  </Table.Td>
                ))}
              </Table.Tr>
              {below && (
                <Table.Tr>
                  <Table.Td colSpan={span} py={6}>
                    {below}
                  </Table.Td>
                </Table.Tr>
              )}
            </Fragment>
          );
        })}
      </Table.Tbody>
    </Table>
  );
}
