import { Button, Group, Modal, Paper, Skeleton, Stack, Table, Text, Tooltip } from '@mantine/core';
import { IconFileExport } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import type { ExportFormat } from '../../../shared/disclosure';
import type { DisclosureRecordView } from '../../../shared/types';
import { call, isSessionProblem } from '../api';
import {
  FileFacts,
  StatusBadge,
  fieldLabel,
  purposeLabel,
  recipientTypeLabel,
  suggestFileName,
  withExtension,
} from '../disclosures/labels';
import { formatTimestamp } from '../format';
import { splitError } from '../forms';
import { useSession } from '../session';
import { ErrorAlert, FileFields } from '../ui';
import { useLoad } from '../useLoad';

/** The accounting of disclosures: every disclosure that included this customer. */
export function AccountDisclosures({
  id,
  accountNumber,
}: {
  id: string;
  accountNumber: string | null;
}) {
  const { session } = useSession();
  const records = useLoad(() => call('disclosures.accounting', { accountId: id }), id);
  const [reportOpen, setReportOpen] = useState(false);
  const canReport = session.user.role === 'compliance_officer';

  if (records.error) return <ErrorAlert>{records.error}</ErrorAlert>;
  if (!records.data) return <Skeleton h={200} />;
  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          Every disclosure to a third party that included this customer, newest first: the customer
          may ask for the specific recipients.
        </Text>
        {canReport && (
          <Button
            variant="light"
            leftSection={<IconFileExport size={16} />}
            onClick={() => setReportOpen(true)}
          >
            Save report for the customer
          </Button>
        )}
      </Group>
      <Paper withBorder>
        <Table
          verticalSpacing="sm"
          horizontalSpacing="md"
          striped
          aria-label="Accounting of disclosures"
        >
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={170}>Date</Table.Th>
              <Table.Th>Recipient</Table.Th>
              <Table.Th>Purpose</Table.Th>
              <Table.Th>Fields</Table.Th>
              <Table.Th>Status</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {records.data.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={5}>
                  <Text ta="center" c="dimmed" py="md">
                    This customer&apos;s information has not been disclosed to anyone.
                  </Text>
                </Table.Td>
              </Table.Tr>
            )}
            {records.data.map((r) => (
              <AccountingRow key={r.seq} record={r} />
            ))}
          </Table.Tbody>
        </Table>
      </Paper>
      <Modal
        opened={reportOpen}
        onClose={() => setReportOpen(false)}
        title="Save the accounting of disclosures"
      >
        {reportOpen && (
          <ReportForm
            accountId={id}
            accountNumber={accountNumber}
            onClose={() => setReportOpen(false)}
          />
        )}
      </Modal>
    </Stack>
  );
}

function AccountingRow({ record: r }: { record: DisclosureRecordView }) {
  const labels = r.fields.map(fieldLabel);
  return (
    <Table.Tr>
      <Table.Td>{formatTimestamp(r.recordedAt)}</Table.Td>
      <Table.Td>
        <Text size="sm" fw={500}>
          {r.recipientName ?? '—'}
        </Text>
        <Text size="xs" c="dimmed">
          {recipientTypeLabel(r.recipientType)}
        </Text>
        <Text size="xs" c="dimmed" style={{ whiteSpace: 'pre-wrap' }}>
          {r.recipientContact}
        </Text>
      </Table.Td>
      <Table.Td>
        <Tooltip label={r.legalBasis} multiline maw={420} withArrow>
          <Text size="sm" span>
            {purposeLabel(r.purpose)}
          </Text>
        </Tooltip>
      </Table.Td>
      <Table.Td maw={380}>
        <Text size="sm">{labels.join(', ')}</Text>
      </Table.Td>
      <Table.Td>
        <StatusBadge status={r.status} />
      </Table.Td>
    </Table.Tr>
  );
}

function ReportForm({
  accountId,
  accountNumber,
  onClose,
}: {
  accountId: string;
  accountNumber: string | null;
  onClose(): void;
}) {
  const [format, setFormat] = useState<ExportFormat>('csv');
  const [fileName, setFileName] = useState(() =>
    suggestFileName(`disclosures-${accountNumber ?? 'customer'}`, 'csv'),
  );
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
      setDone(await call('disclosures.accountingReport', { accountId, format, fileName }));
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
        <Text size="sm">The report is saved in the export folder. Its saving is logged too.</Text>
        <FileFacts record={done} />
        <Group justify="flex-end">
          <Button onClick={onClose}>Done</Button>
        </Group>
      </Stack>
    );
  }
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
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
          <Button type="submit" loading={busy}>
            Save report
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
