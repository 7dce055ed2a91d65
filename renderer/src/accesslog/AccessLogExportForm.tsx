import { Text } from '@mantine/core';
import { useAction } from '../data';
import { FileExportForm } from '../exports/FileExportForm';
import type { AccessLogFilter } from './AccessLogFilterForm';

export function AccessLogExportForm({
  filter,
  onClose,
}: {
  filter: AccessLogFilter;
  onClose(): void;
}) {
  const action = useAction('accessLog.export', { fields: ['fileName'] });
  const filtered = Boolean(filter.accountId || filter.from || filter.to);
  return (
    <FileExportForm
      action={action}
      write={(file) => action.run({ ...filter, ...file })}
      baseName="access-log"
      onClose={onClose}
      intro={
        <Text size="sm">
          {filtered ? 'Exports the entries matching the current filter.' : 'Exports every entry.'}
        </Text>
      }
      done={() => 'The access log is exported. The export itself is logged.'}
    />
  );
}
