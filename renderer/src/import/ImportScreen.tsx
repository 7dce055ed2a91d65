import { useState } from 'react';
import { Screen } from '../Screen';
import { CheckStep } from './CheckStep';
import { ChooseStep } from './ChooseStep';
import { ConfirmImport } from './ConfirmImport';
import { ImportStep } from './ImportStep';
import { MapStep } from './MapStep';
import { useImportFlow } from './useImportFlow';

/**
 * Administrators import customer accounts from a CSV file: main opens the file picker, suggests
 * what each column becomes (confirmed or changed here), checks
 * every row with the shared rules and lists each rejected row; nothing is written until the
 * valid rows are accepted, and then all of them are written or none.
 */
export function ImportScreen() {
  const flow = useImportFlow();
  const [confirming, setConfirming] = useState(false);
  const { file, report } = flow;
  return (
    <Screen
      title="Import accounts"
      description="Add customer accounts from a CSV file. Every row is checked first, and nothing is written until you accept the valid rows."
    >
      <ChooseStep flow={flow} />
      {file && <MapStep flow={flow} />}
      {file && <CheckStep flow={flow} />}
      {file && report && report.rowsValid > 0 && report.earlierImports.length === 0 && (
        <ImportStep flow={flow} report={report} onImport={() => setConfirming(true)} />
      )}
      <ConfirmImport
        opened={confirming}
        file={file}
        report={report}
        onCancel={() => setConfirming(false)}
        onConfirm={() => {
          setConfirming(false);
          void flow.run();
        }}
      />
    </Screen>
  );
}
