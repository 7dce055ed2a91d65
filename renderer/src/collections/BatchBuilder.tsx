import { Stack } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import type { ExportFormat } from '../../../shared/disclosure';
import type { BatchPreview, Recipient } from '../../../shared/types';
import { useAction } from '../data';
import { suggestFileName, withExtension } from '../disclosures/labels';
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
  const [format, setFormat] = useState<ExportFormat>('csv');
  const [fileName, setFileName] = useState('');
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
    setFileName(suggestFileName(placementStem(agency?.name), format));
  }

  async function runSend() {
    if (!preview || stale) return;
    ask.reset();
    setProblems({});
    const result = await send.run({ ...preview.filters, format, fileName });
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
          format={format}
          onFormat={(f) => {
            setFormat(f);
            setFileName((n) => withExtension(n, f));
          }}
          fileName={fileName}
          onFileName={setFileName}
          fileError={errors.fileName}
          sending={send.busy}
          onSend={() => void runSend()}
        />
      )}
    </Stack>
  );
}
