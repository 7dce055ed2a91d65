import { Alert, Stack, Table, Text } from '@mantine/core';
import { IconEyeOff } from '@tabler/icons-react';
import { FIELD_BY_KEY } from '../../../shared/catalogue';
import type { ImportPreview } from '../../../shared/import';
import { FieldDisplay } from '../format';

/**
 * The first valid rows as they will be stored (mapped, names split, dates converted, defaults
 * filled in), projected by main for the importer's role: masked values show their mask, and
 * fields the role may not read are named, never shown.
 */
export function PreviewTable({ preview }: { preview: ImportPreview }) {
  if (preview.rows.length === 0) return null;
  return (
    <Stack gap={6} data-testid="import-preview">
      <Text fw={600} size="sm">
        {preview.rows.length === 1
          ? 'The first row as it will be stored'
          : `The first ${preview.rows.length} rows as they will be stored`}
      </Text>
      <Table.ScrollContainer minWidth={600}>
        <Table aria-label="Preview of the first rows as stored" verticalSpacing={4} fz="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Line</Table.Th>
              {preview.fields.map((k) => (
                <Table.Th key={k}>{FIELD_BY_KEY[k].label}</Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {preview.rows.map((row) => (
              <Table.Tr key={row.line}>
                <Table.Td ff="monospace">{row.line}</Table.Td>
                {preview.fields.map((k) => (
                  <Table.Td key={k}>
                    {k === 'accountNumber' && row.values[k] === null ? (
                      <Text span c="dimmed" inherit>
                        New number
                      </Text>
                    ) : (
                      <FieldDisplay fieldKey={k} fields={row.values} access={preview.access} />
                    )}
                  </Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {preview.hidden.length > 0 && (
        <Alert color="gray" icon={<IconEyeOff size={18} />} data-testid="import-preview-hidden">
          Not shown, as your role may not read them:{' '}
          {preview.hidden.map((k) => FIELD_BY_KEY[k].label).join(', ')}. They are imported all the
          same.
        </Alert>
      )}
    </Stack>
  );
}
