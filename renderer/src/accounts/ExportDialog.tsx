import { Button, Checkbox, Group, Modal, SimpleGrid, Stack, Text } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { FIELDS, type FieldKey, type SortKey } from '../../../shared/catalogue';
import { DEFAULT_FIELDS, type ExportFormat } from '../../../shared/disclosure';
import type { DisclosureRecordView, VisibleAccess } from '../../../shared/types';
import { canSee } from '../../../shared/visibility';
import { call, isSessionProblem } from '../api';
import { FileFacts, suggestFileName, withExtension } from '../disclosures/labels';
import { splitError } from '../forms';
import { ErrorAlert, FileFields } from '../ui';

export interface ExportQuery {
  search: string;
  sort: SortKey;
  direction: 'asc' | 'desc';
}

/** An internal export of the accounts list as searched and sorted now (logged, not a disclosure). */
export function ExportDialog({
  opened,
  onClose,
  query,
  access,
}: {
  opened: boolean;
  onClose(): void;
  query: ExportQuery;
  access: VisibleAccess;
}) {
  return (
    <Modal opened={opened} onClose={onClose} title="Export accounts for internal use" size="xl">
      {opened && <ExportForm query={query} access={access} onClose={onClose} />}
    </Modal>
  );
}

function ExportForm({
  query,
  access,
  onClose,
}: {
  query: ExportQuery;
  access: VisibleAccess;
  onClose(): void;
}) {
  const visible = FIELDS.filter((f) => {
    const a = access[f.key];
    return a !== undefined && canSee(a);
  });
  const [fields, setFields] = useState<Set<FieldKey>>(
    () => new Set(DEFAULT_FIELDS.internal.filter((k) => visible.some((f) => f.key === k))),
  );
  const [format, setFormat] = useState<ExportFormat>('csv');
  const [fileName, setFileName] = useState(() => suggestFileName('accounts', 'csv'));
  const [error, setError] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<DisclosureRecordView | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setMessage(null);
    try {
      setDone(
        await call('exports.accounts', {
          ...(query.search ? { search: query.search } : {}),
          sort: query.sort,
          direction: query.direction,
          fields: FIELDS.map((f) => f.key).filter((k) => fields.has(k)),
          format,
          fileName,
        }),
      );
    } catch (err) {
      if (isSessionProblem(err)) return;
      const split = splitError(err, ['fileName']);
      setError(split.fieldErrors.fileName ?? null);
      if (!split.fieldErrors.fileName) setMessage(split.message);
    } finally {
      setBusy(false);
    }
  }

  if (done) {
    return (
      <Stack gap="sm">
        <Text size="sm">
          Exported {done.rowCount} account{done.rowCount === 1 ? '' : 's'}. The export is recorded
          in the disclosure log as internal use.
        </Text>
        <FileFacts record={done} />
        <Group justify="flex-end">
          <Button onClick={onClose}>Done</Button>
        </Group>
      </Stack>
    );
  }
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        <Text size="sm" c="dimmed">
          {query.search
            ? `The accounts matching “${query.search}”, in the list's current order.`
            : "Every account, in the list's current order."}{' '}
          For staff use only: data for a third party goes through Disclose. Masked fields are
          exported masked.
        </Text>
        <div>
          <Group justify="space-between" mb={6}>
            <Text size="sm" fw={500}>
              Fields ({fields.size} of {visible.length})
            </Text>
            <Group gap="xs">
              <Button
                size="compact-xs"
                variant="subtle"
                onClick={() => setFields(new Set(visible.map((f) => f.key)))}
              >
                All
              </Button>
              <Button
                size="compact-xs"
                variant="subtle"
                color="gray"
                onClick={() => setFields(new Set())}
              >
                None
              </Button>
            </Group>
          </Group>
          <SimpleGrid cols={3} spacing={6}>
            {visible.map((f) => (
              <Checkbox
                key={f.key}
                label={f.label}
                checked={fields.has(f.key)}
                onChange={(e) => {
                  const next = new Set(fields);
                  if (e.currentTarget.checked) next.add(f.key);
                  else next.delete(f.key);
                  setFields(next);
                }}
              />
            ))}
          </SimpleGrid>
        </div>
        <ErrorAlert>{message}</ErrorAlert>
        <FileFields
          format={format}
          onFormat={(f) => {
            setFormat(f);
            setFileName((n) => withExtension(n, f));
          }}
          fileName={fileName}
          onFileName={setFileName}
          error={error}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={busy} disabled={fields.size === 0}>
            Export
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
