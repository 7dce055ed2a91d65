import { Button, Group, SimpleGrid, Stack, Text, Textarea } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import type { Standing } from '../../../shared/catalogue';
import type { StandingReason } from '../../../shared/standing';
import { useAction } from '../data';
import { STANDING_LABELS } from '../format';
import { withJobProgress, type JobProgress } from '../jobs';
import { useSession } from '../session';
import { ErrorAlert } from '../ui';
import type { BulkSource } from './BulkMarkDialog';
import { BulkFilterFields, BulkPreviewPanel, BulkProgress, BulkResult } from './BulkMarkParts';
import { ReasonSelect, StandingSelect } from './StandingSelects';
import { manualTargets, reasonLabel } from './common';
import { useBulkPreview, type Selection } from './useBulkPreview';

/** The choices of a bulk change, its live preview, and the change itself with its progress. */
export function BulkMarkForm({
  source,
  onClose,
  onDone,
  onRunning,
}: {
  source: BulkSource;
  onClose(): void;
  onDone(): void;
  onRunning(running: boolean): void;
}) {
  const { session } = useSession();
  const [filterStanding, setFilterStanding] = useState<Standing>('past_due');
  const [minDays, setMinDays] = useState<number | string>(91);
  const [to, setTo] = useState<Standing | null>(null);
  const [reason, setReason] = useState<StandingReason | null>(null);
  const [note, setNote] = useState('');
  const [progress, setProgress] = useState<JobProgress | null>(null);
  const [changed, setChanged] = useState<number | null>(null);
  const mark = useAction('standing.bulkMark', { fields: ['reason', 'note', 'to'] });

  const selection: Selection | null =
    source.kind === 'selected'
      ? { accountIds: source.accountIds }
      : typeof minDays === 'number'
        ? { standing: filterStanding, minDaysPastDue: minDays }
        : null;
  const { preview, previewing, error: previewError } = useBulkPreview(selection, to);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!selection || !to || !preview) return;
    setProgress({ done: 0, total: preview.changing });
    onRunning(true);
    const input = { selection, to, reason: reason!, ...(note.trim() ? { note } : {}) };
    const result = await withJobProgress((jobId) => mark.run({ ...input, jobId }), setProgress);
    onRunning(false);
    if (!result) {
      setProgress(null);
      return;
    }
    setProgress({ done: result.changed, total: result.changed });
    setChanged(result.changed);
    onDone();
  }

  const running = progress !== null && changed === null;
  const toLabel = to ? STANDING_LABELS[to].toLowerCase() : '';

  if (changed !== null && to) {
    const what =
      source.kind === 'selected'
        ? `${source.accountIds.length} selected`
        : 'Selected by standing and days past due';
    const summary = `${what} → ${STANDING_LABELS[to]} · ${reason ? reasonLabel(reason) : ''}${note.trim() ? ` · “${note.trim()}”` : ''}`;
    return (
      <BulkResult
        summary={summary}
        changed={changed}
        total={progress?.total ?? changed}
        toLabel={toLabel}
        onClose={onClose}
      />
    );
  }

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <ErrorAlert>{mark.unplaced}</ErrorAlert>
        {source.kind === 'selected' ? (
          <Text size="sm">
            {source.accountIds.length === 1
              ? '1 account selected in the list.'
              : `${source.accountIds.length} accounts selected in the list.`}
          </Text>
        ) : (
          <BulkFilterFields
            standing={filterStanding}
            onStanding={setFilterStanding}
            minDays={minDays}
            onMinDays={setMinDays}
            disabled={running}
          />
        )}
        <SimpleGrid cols={2}>
          <StandingSelect
            targets={manualTargets(session.user.role)}
            value={to}
            onChange={setTo}
            error={mark.fieldErrors.to}
            disabled={running}
          />
          <ReasonSelect
            value={reason}
            onChange={setReason}
            error={mark.fieldErrors.reason}
            disabled={running}
          />
        </SimpleGrid>
        <Textarea
          label={reason === 'other' ? 'Note' : 'Note (optional)'}
          description="Recorded with every account's change."
          value={note}
          onChange={(e) => setNote(e.currentTarget.value)}
          error={mark.fieldErrors.note}
          autosize
          minRows={2}
          maxLength={1000}
          disabled={running}
        />
        <BulkPreviewPanel
          to={to}
          preview={preview}
          previewing={previewing}
          error={previewError}
          toLabel={toLabel}
          advice={
            source.kind === 'selected'
              ? 'Untick these accounts first:'
              : 'Narrow the selection first; refused:'
          }
        />
        {progress && <BulkProgress progress={progress} />}
        <Group justify="flex-end" mt="xs">
          <Button variant="default" onClick={onClose} disabled={running}>
            Cancel
          </Button>
          <Button
            type="submit"
            loading={running}
            disabled={!preview || preview.changing === 0 || preview.refused > 0 || previewing}
          >
            {preview && preview.changing > 0
              ? `Mark ${preview.changing === 1 ? '1 account' : `${preview.changing} accounts`} ${toLabel}`
              : 'Mark accounts'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
