import { Modal } from '@mantine/core';
import { useState } from 'react';
import { BulkMarkForm } from './BulkMarkForm';

/** Which accounts: the rows ticked in the list, or every account of a standing past N days. */
export type BulkSource = { kind: 'selected'; accountIds: string[] } | { kind: 'filter' };

/**
 * Marks many accounts at once: the preview says how many would change and why the others are
 * refused; the change itself is all-or-nothing, with a progress bar while it runs.
 */
export function BulkMarkDialog({
  source,
  onClose,
  onDone,
}: {
  source: BulkSource | null;
  onClose(): void;
  /** After a change: the list reloads and the ticks are cleared. */
  onDone(): void;
}) {
  const [running, setRunning] = useState(false);
  return (
    <Modal
      opened={source !== null}
      onClose={() => !running && onClose()}
      closeOnClickOutside={!running}
      closeOnEscape={!running}
      withCloseButton={!running}
      title={
        source?.kind === 'filter'
          ? 'Mark accounts by standing and days past due'
          : 'Mark the selected accounts'
      }
      size="lg"
    >
      {source && (
        <BulkMarkForm source={source} onClose={onClose} onDone={onDone} onRunning={setRunning} />
      )}
    </Modal>
  );
}
