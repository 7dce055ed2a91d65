import {
  Button,
  Group,
  NumberInput,
  Paper,
  Select,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  TextInput,
  Textarea,
  Timeline,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconArrowRight, IconFlag, IconPackageExport } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import type { Standing } from '../../../shared/catalogue';
import { parseMoney } from '../../../shared/rules';
import {
  BATCH_REASONS,
  STANDING_REASONS,
  manualTransitionsFrom,
  type StandingReason,
} from '../../../shared/standing';
import type { AccountDetail, StandingEvent } from '../../../shared/types';
import { canEdit } from '../../../shared/visibility';
import { call, isSessionProblem } from '../api';
import { STANDING_LABELS, formatTimestamp, isMasked, valueText } from '../format';
import { splitError } from '../forms';
import { useSession } from '../session';
import { ErrorAlert } from '../ui';
import { useLoad } from '../useLoad';
import { HoldsPanel } from './HoldsPanel';
import { StandingBadge, fractionDigits, money, reasonLabel } from './common';

/** "An account that ..." */
const STATE_PHRASES: Record<Standing, string> = {
  good: 'is in good standing',
  past_due: 'is past due',
  bad_standing: 'is in bad standing',
  in_collection: 'is in collection',
  settled: 'is settled',
  written_off: 'is written off',
};

const FORM_FIELDS = ['to', 'reason', 'note', 'balanceCents', 'daysPastDue'] as const;

/** Integer minor units as a plain decimal to type over, e.g. 12345 USD -> "123.45". */
function plainAmount(minor: number, currency: string): string {
  const digits = fractionDigits(currency);
  return (minor / 10 ** digits).toFixed(digits);
}

/** The account's standing: where it is, how it got there, how it may move, and its holds. */
export function StandingPanel({
  detail,
  onChanged,
}: {
  detail: AccountDetail;
  /** Called after a change, so the account is read again. */
  onChanged(): void;
}) {
  const timeline = useLoad(() => call('standing.timeline', { accountId: detail.id }), detail.id);
  const { fields, access } = detail;
  const standing = typeof fields.standing === 'string' ? (fields.standing as Standing) : null;
  const currency =
    typeof fields.currency === 'string' && !isMasked(access, 'currency') ? fields.currency : null;
  const balance = valueText('balanceCents', fields, access);

  return (
    <Stack gap="md">
      <Paper withBorder p="md">
        <Group gap="xl" wrap="wrap">
          <div>
            <Text size="xs" c="dimmed" tt="uppercase" fw={600} lts={0.4}>
              Current standing
            </Text>
            <div data-testid="current-standing">
              {standing ? <StandingBadge standing={standing} /> : <Text c="dimmed">—</Text>}
            </div>
          </div>
          <div>
            <Text size="xs" c="dimmed" tt="uppercase" fw={600} lts={0.4}>
              Days past due
            </Text>
            <Text fw={600} data-testid="current-days">
              {typeof fields.daysPastDue === 'number' ? fields.daysPastDue : '—'}
            </Text>
          </div>
          {'balanceCents' in access && (
            <div>
              <Text size="xs" c="dimmed" tt="uppercase" fw={600} lts={0.4}>
                Balance owed
              </Text>
              <Text fw={600} data-testid="current-balance">
                {balance ?? '—'}
              </Text>
            </div>
          )}
        </Group>
      </Paper>
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md" style={{ alignItems: 'start' }}>
        <Paper withBorder p="lg">
          <Title order={3} fz="sm" tt="uppercase" c="dimmed" mb="md" lts={0.4}>
            Standing timeline
          </Title>
          {timeline.error ? (
            <ErrorAlert>{timeline.error}</ErrorAlert>
          ) : !timeline.data ? (
            <Skeleton h={160} />
          ) : (
            <StandingTimeline events={timeline.data} currency={currency} />
          )}
        </Paper>
        <Stack gap="md">
          {standing && (
            <ChangeStandingForm
              detail={detail}
              standing={standing}
              currency={currency}
              onDone={() => {
                timeline.reload();
                onChanged();
              }}
            />
          )}
          <HoldsPanel accountId={detail.id} />
        </Stack>
      </SimpleGrid>
    </Stack>
  );
}

function StandingTimeline({
  events,
  currency,
}: {
  events: StandingEvent[];
  currency: string | null;
}) {
  if (events.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        No standing change is recorded for this account yet.
      </Text>
    );
  }
  const newestFirst = [...events].reverse();
  return (
    <Timeline bulletSize={26} lineWidth={2} active={events.length} aria-label="Standing timeline">
      {newestFirst.map((e) => (
        <Timeline.Item
          key={e.id}
          data-testid="standing-event"
          bullet={e.batchId ? <IconPackageExport size={14} /> : <IconFlag size={14} />}
          title={
            <Group gap={6} wrap="wrap">
              <StandingBadge standing={e.from} size="sm" />
              <IconArrowRight size={14} aria-label="to" />
              <StandingBadge standing={e.to} size="sm" />
              <Text size="sm" c="dimmed">
                {formatTimestamp(e.at)} · by {e.by ?? 'the system'}
              </Text>
            </Group>
          }
        >
          <dl className="timeline-changes" style={{ marginTop: 6 }}>
            <dt>Reason</dt>
            <dd>{reasonLabel(e.reason)}</dd>
            {e.note && (
              <>
                <dt>Note</dt>
                <dd style={{ whiteSpace: 'pre-wrap' }}>{e.note}</dd>
              </>
            )}
            {e.balanceCents !== null && (
              <>
                <dt>Balance owed</dt>
                <dd>{currency ? money(e.balanceCents, currency) : e.balanceCents}</dd>
              </>
            )}
            <dt>Days past due</dt>
            <dd>{e.daysPastDue}</dd>
            {e.batchId && (
              <>
                <dt>Made by</dt>
                <dd>
                  {e.batchNeverSent
                    ? 'a collection batch that was never sent: its placement file was never written, so nothing reached the agency'
                    : 'a collection batch'}
                </dd>
              </>
            )}
          </dl>
        </Timeline.Item>
      ))}
    </Timeline>
  );
}

function ChangeStandingForm({
  detail,
  standing,
  currency,
  onDone,
}: {
  detail: AccountDetail;
  standing: Standing;
  currency: string | null;
  onDone(): void;
}) {
  const { session } = useSession();
  const role = session.user.role;
  const { fields, access } = detail;
  const targets = manualTransitionsFrom(standing, role);
  const balanceNow = typeof fields.balanceCents === 'number' ? fields.balanceCents : null;
  const daysNow = typeof fields.daysPastDue === 'number' ? fields.daysPastDue : 0;
  const editsBalance =
    access.balanceCents !== undefined &&
    canEdit(access.balanceCents) &&
    currency !== null &&
    balanceNow !== null;

  const [to, setTo] = useState<Standing | null>(targets.length === 1 ? targets[0]! : null);
  const [reason, setReason] = useState<StandingReason | null>(null);
  const [note, setNote] = useState('');
  const [amount, setAmount] = useState(() =>
    editsBalance ? plainAmount(balanceNow, currency) : '',
  );
  const [days, setDays] = useState<number | string>(daysNow);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  if (targets.length === 0) {
    return (
      <Paper withBorder p="lg">
        <Title order={3} fz="sm" tt="uppercase" c="dimmed" mb="xs" lts={0.4}>
          Change standing
        </Title>
        <Text size="sm" c="dimmed" data-testid="no-transitions">
          Your role cannot move an account that {STATE_PHRASES[standing]} by hand.
          {standing === 'bad_standing' && role === 'collections_agent'
            ? ' Accounts are placed in collection by sending a collection batch (Collections).'
            : ''}
          {standing === 'in_collection' && role === 'collections_agent'
            ? ' Recalling its collection batch returns it to bad standing.'
            : ''}
        </Text>
      </Paper>
    );
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setErrors({});
    setMessage(null);
    let balanceCents: number | undefined;
    if (editsBalance && to !== null) {
      const parsed = parseMoney(amount.trim(), currency);
      if (parsed === null) {
        setErrors({ balanceCents: `Enter the amount owed, e.g. ${plainAmount(12345, currency)}.` });
        return;
      }
      balanceCents = parsed;
    }
    setBusy(true);
    try {
      const event = await call('standing.transition', {
        accountId: detail.id,
        to: to as Standing,
        reason: reason as StandingReason,
        ...(note.trim() ? { note } : {}),
        ...(balanceCents !== undefined ? { balanceCents } : {}),
        ...(to !== 'good' && typeof days === 'number' ? { daysPastDue: days } : {}),
      });
      notifications.show({
        color: 'teal',
        title: 'Standing changed',
        message: `Account ${String(fields.accountNumber ?? '')} is now ${STANDING_LABELS[event.to].toLowerCase()}.`,
      });
      setTo(null);
      setReason(null);
      setNote('');
      onDone();
    } catch (err) {
      if (isSessionProblem(err)) return;
      const split = splitError(err, FORM_FIELDS);
      setErrors(split.fieldErrors);
      if (Object.keys(split.fieldErrors).length === 0) setMessage(split.message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Paper withBorder p="lg">
      <Title order={3} fz="sm" tt="uppercase" c="dimmed" mb="sm" lts={0.4}>
        Change standing
      </Title>
      <form onSubmit={submit} noValidate aria-label="Change standing">
        <Stack gap="sm">
          <ErrorAlert>{message}</ErrorAlert>
          <Select
            label="New standing"
            description={`From ${STANDING_LABELS[standing].toLowerCase()}, your role may move it to these.`}
            placeholder="Choose the new standing"
            data={targets.map((t) => ({ value: t, label: STANDING_LABELS[t] }))}
            value={to}
            onChange={(v) => setTo(v as Standing | null)}
            error={errors.to}
            allowDeselect={false}
          />
          <Select
            label="Reason"
            placeholder="Choose a reason"
            data={STANDING_REASONS.filter((r) => !BATCH_REASONS.includes(r)).map((r) => ({
              value: r,
              label: reasonLabel(r),
            }))}
            value={reason}
            onChange={(v) => {
              setReason(v as StandingReason | null);
              setErrors((prev) => ({ ...prev, reason: '', note: '' }));
            }}
            error={errors.reason || undefined}
            allowDeselect={false}
          />
          <Textarea
            label={reason === 'other' ? 'Note' : 'Note (optional)'}
            description={
              reason === 'other' ? 'Say what happened: the reason "Other" needs a note.' : undefined
            }
            value={note}
            onChange={(e) => setNote(e.currentTarget.value)}
            error={errors.note || undefined}
            autosize
            minRows={2}
            maxLength={1000}
          />
          <Group grow align="flex-start">
            {editsBalance && (
              <TextInput
                label={`Balance owed (${currency})`}
                description="Recorded with the change."
                value={amount}
                onChange={(e) => setAmount(e.currentTarget.value)}
                error={errors.balanceCents}
                inputMode="decimal"
                autoComplete="off"
              />
            )}
            {to !== 'good' && (
              <NumberInput
                label="Days past due"
                description="Recorded with the change."
                value={days}
                onChange={setDays}
                error={errors.daysPastDue}
                min={0}
                max={100_000}
                allowDecimal={false}
                allowNegative={false}
                clampBehavior="none"
              />
            )}
          </Group>
          <Group justify="flex-end">
            <Button type="submit" loading={busy}>
              Change standing
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
