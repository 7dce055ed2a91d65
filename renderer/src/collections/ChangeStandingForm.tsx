import {
  Button,
  Group,
  NumberInput,
  Paper,
  Stack,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState, type FormEvent } from 'react';
import type { Standing } from '../../../shared/catalogue';
import type { Role } from '../../../shared/roles';
import { parseMoney } from '../../../shared/rules';
import { manualTransitionsFrom, type StandingReason } from '../../../shared/standing';
import type { AccountDetail } from '../../../shared/types';
import { canEdit } from '../../../shared/visibility';
import { useAction } from '../data';
import { STANDING_LABELS } from '../format';
import { useSession } from '../session';
import { ErrorAlert } from '../ui';
import { ReasonSelect, StandingSelect } from './StandingSelects';
import { fractionDigits } from '../money';

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

/** Moves one account's standing by hand, to the standings the role may choose from here. */
export function ChangeStandingForm({
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
  const [days, setDays] = useState<number | string>(
    typeof fields.daysPastDue === 'number' ? fields.daysPastDue : 0,
  );
  const transition = useAction('standing.transition', { fields: FORM_FIELDS });
  // Errors found here before asking main, and the ones a new choice of reason makes moot.
  const [local, setLocal] = useState<Record<string, string>>({});
  const errors = { ...transition.fieldErrors, ...local };

  if (targets.length === 0) return <NoTransitions standing={standing} role={role} />;

  async function submit(e: FormEvent) {
    e.preventDefault();
    transition.reset();
    setLocal({});
    let balanceCents: number | undefined;
    if (editsBalance && to !== null) {
      const parsed = parseMoney(amount.trim(), currency);
      if (parsed === null) {
        setLocal({ balanceCents: `Enter the amount owed, e.g. ${plainAmount(12345, currency)}.` });
        return;
      }
      balanceCents = parsed;
    }
    const event = await transition.run({
      accountId: detail.id,
      to: to!,
      reason: reason!,
      ...(note.trim() ? { note } : {}),
      ...(balanceCents !== undefined ? { balanceCents } : {}),
      ...(to !== 'good' && typeof days === 'number' ? { daysPastDue: days } : {}),
    });
    if (!event) return;
    notifications.show({
      color: 'teal',
      title: 'Standing changed',
      message: `Account ${String(fields.accountNumber ?? '')} is now ${STANDING_LABELS[event.to].toLowerCase()}.`,
    });
    setTo(null);
    setReason(null);
    setNote('');
    onDone();
  }

  return (
    <Paper withBorder p="lg">
      <Title order={3} fz="sm" tt="uppercase" c="dimmed" mb="sm" lts={0.4}>
        Change standing
      </Title>
      <form onSubmit={submit} noValidate aria-label="Change standing">
        <Stack gap="sm">
          <ErrorAlert>{transition.unplaced}</ErrorAlert>
          <StandingSelect
            description={`From ${STANDING_LABELS[standing].toLowerCase()}, your role may move it to these.`}
            targets={targets}
            value={to}
            onChange={setTo}
            error={errors.to}
          />
          <ReasonSelect
            value={reason}
            onChange={(v) => {
              setReason(v);
              setLocal((prev) => ({ ...prev, reason: '', note: '' }));
            }}
            error={errors.reason || undefined}
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
            <Button type="submit" loading={transition.busy}>
              Change standing
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

function NoTransitions({ standing, role }: { standing: Standing; role: Role }) {
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
