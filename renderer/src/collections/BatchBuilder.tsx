import { Stack } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import type { BatchPreview, Recipient } from '../../../shared/types';
import { useAction } from '../data';
import { suggestFileName } from '../disclosures/labels';
import { useExportFile } from '../disclosures/useExportFile';
import { BatchFilters } from './BatchFilters';
import { BatchPreviewView } from './BatchPreviewView';
import { BatchSent } from './BatchSent';
import {
  FILTER_FIELDS,
  initialFilters,
  placementStem,
  readFilters,
  type Filters,
  type TypedFilters,
} from './batchFilters';

/** Filters, preview, then send: a batch goes out only as the preview showed it. */
export function BatchBuilder({
  agencies,
  onSent,
  onReset,
}: {
  agencies: Recipient[];
  onSent(): void;
  onReset(): void;
}) {
  const [typed, setTyped] = useState(() => initialFilters(agencies.map((a) => a.id)));
  const [preview, setPreview] = useState<{
    filters: Filters;
    result: BatchPreview;
    as: TypedFilters;
  } | null>(null);
  const file = useExportFile('');
  const [problems, setProblems] = useState<Record<string, string>>({});
  const ask = useAction('batches.preview', { fields: FILTER_FIELDS });
  const send = useAction('batches.send', { fields: FILTER_FIELDS });
  const agency = agencies.find((a) => a.id === typed.agencyId) ?? null;
  const stale = preview !== null && JSON.stringify(preview.as) !== JSON.stringify(typed);
  const errors = { ...ask.fieldErrors, ...send.fieldErrors, ...problems };

  async function runPreview(e: FormEvent) {
    e.preventDefault();
    ask.reset();
    send.reset();
    const read = readFilters(typed);
    setProblems(read.problems ?? {});
    if (!read.filters) return;
    const result = await ask.run(read.filters);
    if (!result) return;
    setPreview({ filters: read.filters, result, as: typed });
    file.setFileName(suggestFileName(placementStem(agency?.name), file.format));
  }

  async function runSend() {
    if (!preview || stale) return;
    ask.reset();
    setProblems({});
    const result = await send.run({
      ...preview.filters,
      format: file.format,
      fileName: file.fileName,
    });
    if (result?.batch) onSent();
  }

  const sent = send.mutation.data;
  if (sent) return <BatchSent sent={sent} onReset={onReset} />;

  return (
    <Stack gap="md">
      <BatchFilters
        agencies={agencies}
        value={typed}
        onChange={setTyped}
        errors={errors}
        message={ask.unplaced ?? send.unplaced}
        previewed={preview !== null}
        stale={stale}
        busy={ask.busy}
        onSubmit={(e) => void runPreview(e)}
      />
      {preview && (
        <BatchPreviewView
          preview={preview.result}
          stale={stale}
          agencyName={agency?.name}
          file={file.fields}
          fileError={errors.fileName}
          sending={send.busy}
          onSend={() => void runSend()}
        />
      )}
    </Stack>
  );
}
