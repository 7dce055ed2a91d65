import { Alert, SimpleGrid, Stack } from '@mantine/core';
import { IconInfoCircle } from '@tabler/icons-react';
import { ROLE_LABELS } from '../../../../shared/roles';
import { ErrorAlert, FileFields } from '../../ui';
import { RequestSummary } from './RequestSummary';
import type { Wizard } from './useDisclosureWizard';

/** The last step: format and file name beside the summary, and whether approval comes first. */
export function FileStep({ w }: { w: Wizard }) {
  const { rule } = w;
  return (
    <Stack gap="md">
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
        <FileFields
          format={w.draft.format}
          onFormat={w.chooseFormat}
          fileName={w.draft.fileName}
          onFileName={(n) => {
            w.typeFileName(n);
            w.clearFieldError('fileName');
          }}
          error={w.fieldErrors.fileName || null}
        />
        <RequestSummary w={w} />
      </SimpleGrid>
      {w.needsApproval && rule && (
        <Alert color="yellow" variant="light" icon={<IconInfoCircle size={18} />}>
          This purpose needs approval by {rule.approvals.map((r) => ROLE_LABELS[r]).join(' and ')}{' '}
          (not you). Submitting sends the request for approval; the file is written only when you
          carry it out after approval.
        </Alert>
      )}
      <ErrorAlert>{w.submitError}</ErrorAlert>
    </Stack>
  );
}
