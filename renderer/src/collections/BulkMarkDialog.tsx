import {
  Alert,
  Button,
  Group,
  List,
  Loader,
  Modal,
  NumberInput,
  Progress,
  Select,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
} from '@mantine/core';
import { IconAlertTriangle, IconCircleCheck } from '@tabler/icons-react';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { STANDINGS, type Standing } from '../../../shared/catalogue';
import { BATCH_REASONS, STANDING_REASONS, type StandingReason } from '../../../shared/standing';
import type { BulkPreview } from '../../../shared/types';
import { call, isApiError, isSessionProblem } from '../api';
import { withJobProgress } from '../jobs';
import { STANDING_LABELS } from '../format';
import { splitError } from '../forms';
import { useSession } from '../session';
import { ErrorAlert } from '../ui';
import { manualTargets, reasonLabel } from './common';

/** Which accounts: the rows ticked in the list, or every account of a standing past N days. */
export type BulkSource = { kind: 'selected'; accountIds: string[] } | { kind: 'filter' };

type Selection = { accountIds: string[] } | { standing: Standing; minDaysPastDue: number };

interface Progressing {
  done: number;
  total: number;
}

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

function BulkMarkForm({
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
  const targets = manualTargets(session.user.role);
  const [filterStanding, setFilterStanding] = useState<Standing>('past_due');
  const [minDays, setMinDays] = useState<number | string>(91);
  const [to, setTo] = useState<Standing | null>(null);
  const [reason, setReason] = useState<StandingReason | null>(null);
  const [note, setNote] = useState('');
  const [preview, setPreview] = useState<BulkPreview | null>(null);
  const [previewError, setPreviewError] = useState<string | null>(null);
  const [previewing, setPreviewing] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [progress, setProgress] = useState<Progressing | null>(null);
  const [changed, setChanged] = useState<number | null>(null);
  const previewId = useRef(0);

  const selection: Selection | null =
    source.kind === 'selected'
      ? { accountIds: source.accountIds }
      : typeof minDays === 'number'
        ? { standing: filterStanding, minDaysPastDue: minDays }
        : null;
  const selectionKey = JSON.stringify(selection);

  // The preview follows the choices: what would change, and why the rest would be refused.
  useEffect(() => {
    const id = ++previewId.current;
    setPreview(null);
    setPreviewError(null);
    if (!to || !selection) return;
    setPreviewing(true);
    const timer = setTimeout(() => {
      call('standing.bulkPreview', { selection, to })
        .then((p) => id === previewId.current && setPreview(p))
        .catch((err: unknown) => {
          if (id !== previewId.current || isSessionProblem(err)) return;
          setPreviewError(isApiError(err) ? err.message : 'Could not preview the change.');
        })
        .finally(() => id === previewId.current && setPreviewing(false));
    }, 200);
    return () => clearTimeout(timer);
    // selectionKey stands for selection (a new object on every render).
  }, [selectionKey, to]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!selection || !to || !preview) return;
    setErrors({});
    setMessage(null);
    setProgress({ done: 0, total: preview.changing });
    onRunning(true);
    try {
      const result = await withJobProgress(
        (jobId) =>
          call('standing.bulkMark', {
            selection,
            to,
            reason: reason as StandingReason,
            ...(note.trim() ? { note } : {}),
            jobId,
          }),
        setProgress,
      );
      setProgress({ done: result.changed, total: result.changed });
      setChanged(result.changed);
      onDone();
    } catch (err) {
      setProgress(null);
      if (isSessionProblem(err)) return;
      const split = splitError(err, ['reason', 'note', 'to']);
      setErrors(split.fieldErrors);
      if (Object.keys(split.fieldErrors).length === 0) setMessage(split.message);
    } finally {
      onRunning(false);
    }
  }

  const running = progress !== null && changed === null;
  const percent = progress && progress.total > 0 ? (progress.done / progress.total) * 100 : 0;
  const toLabel = to ? STANDING_LABELS[to].toLowerCase() : '';

  if (changed !== null && to) {
    return (
      <Stack gap="md" data-testid="bulk-result">
        <Text size="sm">
          {source.kind === 'selected'
            ? `${source.accountIds.length} selected`
            : 'Selected by standing and days past due'}{' '}
          → {STANDING_LABELS[to]} · {reason ? reasonLabel(reason) : ''}
          {note.trim() ? ` · “${note.trim()}”` : ''}
        </Text>
        <Stack gap={4}>
          <Progress value={100} color="teal" size="lg" aria-label="Progress" />
          <Text size="xs" c="dimmed">
            {changed} of {progress?.total ?? changed} accounts · finished
          </Text>
        </Stack>
        <Alert color="teal" icon={<IconCircleCheck size={20} />} title="Standing changed">
          <Text size="sm">
            {changed === 1 ? '1 account is' : `${changed} accounts are`} now {toLabel}. Each change
            is recorded in the account&apos;s standing timeline with your name and the reason.
          </Text>
        </Alert>
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
        {source.kind === 'selected' ? (
          <Text size="sm">
            {source.accountIds.length === 1
              ? '1 account selected in the list.'
              : `${source.accountIds.length} accounts selected in the list.`}
          </Text>
        ) : (
          <SimpleGrid cols={2}>
            <Select
              label="Accounts now in"
              data={STANDINGS.map((s) => ({ value: s, label: STANDING_LABELS[s] }))}
              value={filterStanding}
              onChange={(v) => v && setFilterStanding(v as Standing)}
              allowDeselect={false}
              disabled={running}
            />
            <NumberInput
              label="At least this many days past due"
              description="91 selects accounts past due more than 90 days."
              value={minDays}
              onChange={setMinDays}
              min={0}
              max={100_000}
              allowDecimal={false}
              allowNegative={false}
              disabled={running}
            />
          </SimpleGrid>
        )}
        <SimpleGrid cols={2}>
          <Select
            label="New standing"
            placeholder="Choose the new standing"
            data={targets.map((t) => ({ value: t, label: STANDING_LABELS[t] }))}
            value={to}
            onChange={(v) => setTo(v as Standing | null)}
            error={errors.to}
            allowDeselect={false}
            disabled={running}
          />
          <Select
            label="Reason"
            placeholder="Choose a reason"
            data={STANDING_REASONS.filter((r) => !BATCH_REASONS.includes(r)).map((r) => ({
              value: r,
              label: reasonLabel(r),
            }))}
            value={reason}
            onChange={(v) => setReason(v as StandingReason | null)}
            error={errors.reason}
            allowDeselect={false}
            disabled={running}
          />
        </SimpleGrid>
        <Textarea
          label={reason === 'other' ? 'Note' : 'Note (optional)'}
          description="Recorded with every account's change."
          value={note}
          onChange={(e) => setNote(e.currentTarget.value)}
          error={errors.note}
          autosize
          minRows={2}
          maxLength={1000}
          disabled={running}
        />

        <div aria-live="polite" data-testid="bulk-preview">
          {!to ? (
            <Text size="sm" c="dimmed">
              Choose the new standing to see what would change.
            </Text>
          ) : previewError ? (
            <ErrorAlert>{previewError}</ErrorAlert>
          ) : !preview || previewing ? (
            <Group gap="xs">
              <Loader size={14} />
              <Text size="sm" c="dimmed">
                Checking each account against the workflow…
              </Text>
            </Group>
          ) : (
            <PreviewSummary
              preview={preview}
              toLabel={toLabel}
              advice={
                source.kind === 'selected'
                  ? 'Untick these accounts first:'
                  : 'Narrow the selection first; refused:'
              }
            />
          )}
        </div>

        {progress && (
          <Stack gap={4}>
            <Progress value={percent} size="lg" animated aria-label="Progress" />
            <Text size="xs" c="dimmed" data-testid="bulk-progress">
              {progress.done} of {progress.total} accounts
            </Text>
          </Stack>
        )}

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

function PreviewSummary({
  preview,
  toLabel,
  advice,
}: {
  preview: BulkPreview;
  toLabel: string;
  advice: string;
}) {
  if (preview.selected === 0) {
    return (
      <Text size="sm" c="dimmed">
        No account matches.
      </Text>
    );
  }
  return (
    <Stack gap="xs">
      <Text size="sm">
        <b>{preview.selected}</b> selected · <b>{preview.changing}</b> would change to {toLabel} ·{' '}
        <b>{preview.refused}</b> refused
      </Text>
      {preview.refused > 0 && (
        <Alert
          color="yellow"
          icon={<IconAlertTriangle size={18} />}
          title="Marking is all-or-nothing"
        >
          <Text size="sm">Nothing is changed while any account is refused. {advice}</Text>
          <List size="sm" spacing={2} withPadding mt={4}>
            {preview.reasons.map((r) => (
              <List.Item key={r}>{r}</List.Item>
            ))}
          </List>
          {preview.refused > preview.reasons.length && (
            <Text size="xs" c="dimmed" mt={4}>
              and {preview.refused - preview.reasons.length} more.
            </Text>
          )}
        </Alert>
      )}
    </Stack>
  );
}
