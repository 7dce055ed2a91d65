import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import type { ImportCheck, ImportFileChoice } from '../../../shared/import';
import { count, plural } from './format';

/** The last question before the valid rows are written. */
export function ConfirmImport({
  opened,
  file,
  report,
  onCancel,
  onConfirm,
}: {
  opened: boolean;
  file: ImportFileChoice | null;
  report: ImportCheck | null;
  onCancel(): void;
  onConfirm(): void;
}) {
  return (
    <Modal
      opened={opened}
      onClose={onCancel}
      title={report ? `Import ${plural(report.rowsValid, 'account')}?` : 'Import'}
      size="md"
    >
      {report && file && (
        <Stack gap="sm">
          <Text size="sm">
            {plural(report.rowsValid, 'valid row')} of <b>{file.fileName}</b> will become new
            accounts, written together or not at all.
          </Text>
          {report.rowsRejected > 0 && (
            <Alert color="yellow" icon={<IconAlertTriangle size={18} />}>
              <Text size="sm">
                {report.rowsRejected === 1
                  ? 'The rejected row listed in the report will be skipped.'
                  : `The ${count.format(report.rowsRejected)} rejected rows listed in the report will be skipped.`}
              </Text>
            </Alert>
          )}
          <Group justify="flex-end" mt="xs">
            <Button variant="default" onClick={onCancel}>
              Cancel
            </Button>
            <Button onClick={onConfirm} data-autofocus>
              Import {plural(report.rowsValid, 'account')}
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
