import { Paper, Table, Text } from '@mantine/core';
import type { FieldKey } from '../../../shared/catalogue';
import type { BatchPreview } from '../../../shared/types';
import { FieldDisplay, MaskedValue, isMasked } from '../format';

const SAMPLE_COLUMNS: { key: FieldKey; label: string; numeric?: boolean }[] = [
  { key: 'accountNumber', label: 'Account' },
  { key: 'city', label: 'City' },
  { key: 'region', label: 'Region' },
  { key: 'daysPastDue', label: 'Days past due', numeric: true },
  { key: 'lastPaymentDate', label: 'Last payment' },
  { key: 'balanceCents', label: 'Balance', numeric: true },
];

/** The largest balances of a preview, as far as the caller may see their fields. */
export function SampleTable({ preview }: { preview: BatchPreview }) {
  const { access } = preview;
  const columns = SAMPLE_COLUMNS.filter((c) => c.key in access);
  const showName = 'lastName' in access || 'firstName' in access;
  return (
    <div>
      <Text size="sm" fw={600} mb={4}>
        {preview.count > preview.sample.length
          ? `The ${preview.sample.length} largest balances of ${preview.count}`
          : 'The accounts, largest balance first'}
      </Text>
      <Paper withBorder className="table-scroll">
        <Table striped fz="sm" verticalSpacing={6} aria-label="Batch sample">
          <Table.Thead>
            <Table.Tr>
              {columns.slice(0, 1).map((c) => (
                <Table.Th key={c.key}>{c.label}</Table.Th>
              ))}
              {showName && <Table.Th>Name</Table.Th>}
              {columns.slice(1).map((c) => (
                <Table.Th key={c.key} ta={c.numeric ? 'right' : undefined}>
                  {c.label}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {preview.sample.map((row) => {
              const name = [row.fields.firstName, row.fields.lastName]
                .filter((v) => v !== null && v !== undefined && v !== '')
                .join(' ');
              return (
                <Table.Tr key={row.id}>
                  {columns.slice(0, 1).map((c) => (
                    <Table.Td key={c.key} ff="monospace" className="nowrap">
                      <FieldDisplay fieldKey={c.key} fields={row.fields} access={access} />
                    </Table.Td>
                  ))}
                  {showName && (
                    <Table.Td fw={500}>
                      {isMasked(access, 'lastName') ? <MaskedValue>{name}</MaskedValue> : name}
                    </Table.Td>
                  )}
                  {columns.slice(1).map((c) => (
                    <Table.Td
                      key={c.key}
                      ta={c.numeric ? 'right' : undefined}
                      className="nowrap"
                      style={c.numeric ? { fontVariantNumeric: 'tabular-nums' } : undefined}
                    >
                      <FieldDisplay fieldKey={c.key} fields={row.fields} access={access} />
                    </Table.Td>
                  ))}
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Paper>
    </div>
  );
}
