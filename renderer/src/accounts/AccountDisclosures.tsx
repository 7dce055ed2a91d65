import { Button, Group, Modal, Paper, Skeleton, Stack, Text, Tooltip } from '@mantine/core';
import { IconFileExport, IconPrinter } from '@tabler/icons-react';
import { useState } from 'react';
import type { DisclosureRecordView } from '../../../shared/types';
import { useAction, useChannel } from '../data';
import { FileExportForm } from '../exports/FileExportForm';
import { PdfDocumentForm } from '../disclosures/PdfDocumentForm';
import { StatusBadge, fieldLabel, purposeLabel, recipientTypeLabel } from '../disclosures/labels';
import { formatTimestamp } from '../format';
import { useSession } from '../session';
import { DataTable } from '../table/DataTable';
import { column } from '../table/columns';
import { ErrorAlert } from '../ui';

/** The accounting of disclosures: every disclosure that included this customer. */
export function AccountDisclosures({
  id,
  accountNumber,
}: {
  id: string;
  accountNumber: string | null;
}) {
  const { session } = useSession();
  const records = useChannel('disclosures.accounting', { accountId: id });
  const [reportOpen, setReportOpen] = useState(false);
  const [pdfOpen, setPdfOpen] = useState(false);
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
          <Group gap="xs">
            <Button
              variant="light"
              leftSection={<IconPrinter size={16} />}
              onClick={() => setPdfOpen(true)}
            >
              Print / Save as PDF
            </Button>
            <Button
              variant="light"
              leftSection={<IconFileExport size={16} />}
              onClick={() => setReportOpen(true)}
            >
              Save report for the customer
            </Button>
          </Group>
        )}
      </Group>
      <Paper withBorder>
        <DataTable
          label="Accounting of disclosures"
          data={records.data}
          columns={COLUMNS}
          getRowId={(r) => String(r.seq)}
          empty={
            <Text ta="center" c="dimmed" py="md">
              This customer&apos;s information has not been disclosed to anyone.
            </Text>
          }
          tableProps={{ verticalSpacing: 'sm', highlightOnHover: false }}
        />
      </Paper>
      <Modal
        opened={pdfOpen}
        onClose={() => setPdfOpen(false)}
        title="The accounting of disclosures as a PDF"
      >
        {pdfOpen && (
          <PdfForm accountId={id} accountNumber={accountNumber} onClose={() => setPdfOpen(false)} />
        )}
      </Modal>
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

const COLUMNS = [
  column<DisclosureRecordView>('date', 'Date', (r) => formatTimestamp(r.recordedAt), {
    th: { w: 170 },
  }),
  column<DisclosureRecordView>('recipient', 'Recipient', (r) => (
    <>
      <Text size="sm" fw={500}>
        {r.recipientName ?? '—'}
      </Text>
      <Text size="xs" c="dimmed">
        {recipientTypeLabel(r.recipientType)}
      </Text>
      <Text size="xs" c="dimmed" style={{ whiteSpace: 'pre-wrap' }}>
        {r.recipientContact}
      </Text>
    </>
  )),
  column<DisclosureRecordView>('purpose', 'Purpose', (r) => (
    <Tooltip label={r.legalBasis} multiline maw={420} withArrow>
      <Text size="sm" span>
        {purposeLabel(r.purpose)}
      </Text>
    </Tooltip>
  )),
  column<DisclosureRecordView>(
    'fields',
    'Fields',
    (r) => <Text size="sm">{r.fields.map(fieldLabel).join(', ')}</Text>,
    { td: { maw: 380 } },
  ),
  column<DisclosureRecordView>('status', 'Status', (r) => <StatusBadge status={r.status} />),
];

/** The accounting as a document for the customer (main lays it out as a PDF). */
function PdfForm(props: { accountId: string; accountNumber: string | null; onClose(): void }) {
  const action = useAction('disclosures.accountingPdf', { fields: ['fileName'] });
  return (
    <PdfDocumentForm
      action={action}
      save={(fileName) => action.run({ accountId: props.accountId, fileName })}
      baseName={`disclosures-${props.accountNumber ?? 'customer'}`}
      intro="Every disclosure listed here, with the customer's name and address as your role sees them: what was disclosed, to whom, when, why and under which legal basis."
      onClose={props.onClose}
    />
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
  const action = useAction('disclosures.accountingReport', { fields: ['fileName'] });
  return (
    <FileExportForm
      action={action}
      write={(file) => action.run({ accountId, ...file })}
      baseName={`disclosures-${accountNumber ?? 'customer'}`}
      submitLabel="Save report"
      onClose={onClose}
      done={() => 'The report is saved in the export folder. Its saving is logged too.'}
    />
  );
}
