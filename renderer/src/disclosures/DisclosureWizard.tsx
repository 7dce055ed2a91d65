import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Checkbox,
  Group,
  Loader,
  Paper,
  Radio,
  Select,
  SimpleGrid,
  Stack,
  Stepper,
  Table,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import {
  IconAlertTriangle,
  IconArrowLeft,
  IconArrowRight,
  IconInfoCircle,
  IconPlus,
  IconRefresh,
  IconSearch,
  IconSend,
  IconTrash,
} from '@tabler/icons-react';
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { FIELDS, FIELD_CATEGORIES, type FieldKey, type Standing } from '../../../shared/catalogue';
import {
  COLLECTION_FIELDS,
  DEFAULT_FIELDS,
  INSTRUMENT_LABELS,
  INSTRUMENT_TYPES,
  LEGAL_BASIS,
  PURPOSES,
  PURPOSE_LABELS,
  PURPOSE_RULES,
  RECIPIENT_TYPE_LABELS,
  type ExportFormat,
  type InstrumentType,
  type Purpose,
} from '../../../shared/disclosure';
import { ROLE_LABELS } from '../../../shared/roles';
import type {
  AccountRow,
  DisclosureOutcome,
  Recipient,
  VisibleAccess,
} from '../../../shared/types';
import { canRead } from '../../../shared/visibility';
import { call, isApiError, isSessionProblem } from '../api';
import { canSortBy } from '../accounts/columns';
import { CATEGORY_LABELS, STANDING_COLORS, STANDING_LABELS, todayIso } from '../format';
import { useNavigation, type PickedAccount } from '../navigation';
import { useSession } from '../session';
import { ErrorAlert, FileFields, ScreenHeader } from '../ui';
import { useLoad } from '../useLoad';
import { OutcomeView } from './OutcomeView';
import { fieldLabel, suggestFileName, withExtension } from './labels';

const STEPS = ['Recipient', 'Purpose', 'Accounts', 'Fields', 'Details', 'File'] as const;

interface Legal {
  instrumentType: InstrumentType | null;
  reference: string;
  authority: string;
  date: string;
}

function StandingBadge({ standing }: { standing: string | null }) {
  if (!standing) return null;
  return (
    <Badge color={STANDING_COLORS[standing as Standing] ?? 'gray'} variant="light" radius="sm">
      {STANDING_LABELS[standing as Standing] ?? standing}
    </Badge>
  );
}

/** Fields a person may put in a disclosure: those they read in full (the collection set for debts). */
function disclosableFields(access: VisibleAccess, purpose: Purpose | null): FieldKey[] {
  const readable = FIELDS.filter((f) => {
    const a = access[f.key];
    return a !== undefined && canRead(a);
  }).map((f) => f.key);
  return purpose === 'debt_collection'
    ? readable.filter((k) => COLLECTION_FIELDS.includes(k))
    : readable;
}

function toPicked(row: AccountRow): PickedAccount {
  const f = row.fields;
  return {
    id: row.id,
    accountNumber: String(f.accountNumber ?? row.id.slice(0, 8)),
    name: [f.firstName, f.lastName].filter((v) => v !== null && v !== undefined).join(' '),
    standing: typeof f.standing === 'string' ? f.standing : null,
  };
}

/**
 * The one way customer data leaves for a third party: recipient, purpose, accounts, fields,
 * purpose-specific details and the file. The gate in main decides; this screen shows its rules
 * up front and its answer verbatim.
 */
export function DisclosureWizard({
  initialAccounts = [],
  active: shown,
}: {
  initialAccounts?: PickedAccount[];
  /** Whether the wizard is the section on screen (it stays mounted to keep its progress). */
  active: boolean;
}) {
  const { session } = useSession();
  const navigation = useNavigation();
  // Read the recipients again each time the wizard comes into view: compliance may have
  // registered or deactivated one meanwhile.
  const recipients = useLoad(() => call('recipients.list', {}), shown ? 'shown' : 'parked');
  const [step, setStep] = useState(0);
  const [recipientId, setRecipientId] = useState<string | null>(null);
  const [purpose, setPurpose] = useState<Purpose | null>(null);
  const [accounts, setAccounts] = useState<PickedAccount[]>(initialAccounts);
  const [fields, setFields] = useState<Set<FieldKey>>(new Set());
  const [legal, setLegal] = useState<Legal>({
    instrumentType: null,
    reference: '',
    authority: '',
    date: '',
  });
  const [justification, setJustification] = useState('');
  const [format, setFormat] = useState<ExportFormat>('csv');
  const [fileName, setFileName] = useState(() => suggestFileName('disclosure', 'csv'));
  const [fileNameTouched, setFileNameTouched] = useState(false);
  const [stepError, setStepError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [submitError, setSubmitError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<DisclosureOutcome | null>(null);

  const active = useMemo(() => (recipients.data ?? []).filter((r) => r.active), [recipients.data]);
  const recipient = active.find((r) => r.id === recipientId) ?? null;
  const rule = purpose ? PURPOSE_RULES[purpose] : null;
  const allAccounts = purpose === 'business_transfer';
  const needsApproval = (rule?.approvals.length ?? 0) > 0;

  /** Fields this person may put in a disclosure: readable ones (the collection set for debts). */
  const available = useMemo(
    () => disclosableFields(session.fieldAccess, purpose),
    [session.fieldAccess, purpose],
  );

  function choosePurpose(p: Purpose) {
    setPurpose(p);
    const allowed = disclosableFields(session.fieldAccess, p);
    setFields(new Set(DEFAULT_FIELDS[p].filter((k) => allowed.includes(k))));
    if (!fileNameTouched) setFileName(suggestFileName(p.replace(/_/g, '-'), format));
  }

  function validate(s: number): string | null {
    switch (s) {
      case 0:
        return recipient ? null : 'Choose the recipient.';
      case 1:
        return purpose ? null : 'Choose the purpose of the disclosure.';
      case 2:
        return allAccounts || accounts.length > 0 ? null : 'Add at least one account.';
      case 3:
        return fields.size > 0 ? null : 'Choose at least one field.';
      case 4:
        if (purpose === 'legal_process') {
          if (
            !legal.instrumentType ||
            !legal.reference.trim() ||
            !legal.authority.trim() ||
            !legal.date
          )
            return 'A legal process disclosure needs the instrument type, reference, issuing authority and date.';
        }
        if (purpose === 'exigent_circumstances' && justification.trim().length === 0)
          return 'Write the justification: what is the emergency, and who reported it.';
        return null;
      default:
        return null;
    }
  }

  function next() {
    const problem = validate(step);
    setStepError(problem);
    if (!problem) setStep((s) => Math.min(s + 1, STEPS.length - 1));
  }

  function goTo(s: number) {
    // Going back is always allowed; going forward only through valid steps.
    for (let i = 0; i < s; i++) {
      const problem = validate(i);
      if (problem) {
        setStep(i);
        setStepError(problem);
        return;
      }
    }
    setStepError(null);
    setStep(s);
  }

  async function submit() {
    setBusy(true);
    setSubmitError(null);
    setFieldErrors({});
    try {
      const out = await call('disclosures.request', {
        recipientId: recipient!.id,
        purpose: purpose!,
        accountIds: allAccounts ? [] : accounts.map((a) => a.id),
        allAccounts,
        fields: FIELDS.map((f) => f.key).filter((k) => fields.has(k)),
        format,
        fileName,
        ...(purpose === 'legal_process'
          ? {
              legal: {
                instrumentType: legal.instrumentType!,
                reference: legal.reference,
                authority: legal.authority,
                date: legal.date,
              },
            }
          : {}),
        ...(purpose === 'exigent_circumstances' ? { justification } : {}),
      });
      setOutcome(out);
      if (out.status === 'pending') navigation.refreshInbox();
    } catch (err) {
      if (isSessionProblem(err)) return;
      if (isApiError(err)) {
        const fe = err.fieldErrors ?? {};
        setFieldErrors(fe);
        const others = Object.entries(fe)
          .filter(([k]) => k !== 'fileName')
          .map(([k, v]) => `${k}: ${v}`);
        setSubmitError(
          fe.fileName && others.length === 0 ? null : [err.message, ...others].join(' '),
        );
      } else {
        setSubmitError('The request could not be sent. Try again.');
      }
    } finally {
      setBusy(false);
    }
  }

  function startOver() {
    setOutcome(null);
    setStep(0);
    setRecipientId(null);
    setPurpose(null);
    setAccounts([]);
    setFields(new Set());
    setLegal({ instrumentType: null, reference: '', authority: '', date: '' });
    setJustification('');
    setFileNameTouched(false);
    setFileName(suggestFileName('disclosure', format));
  }

  const summary = (
    <SummaryTable
      recipient={recipient}
      purpose={purpose}
      accounts={allAccounts ? 'All accounts' : `${accounts.length} named`}
      fields={fields.size}
    />
  );

  if (outcome) {
    return (
      <div className="section-scroll">
        <Stack gap="md" maw={980} pb="lg">
          <ScreenHeader title="Disclose" description="The disclosure gate's answer." />
          <OutcomeView outcome={outcome} />
          {summary}
          <Group>
            {outcome.status === 'refused' && (
              <Button
                variant="default"
                leftSection={<IconArrowLeft size={16} />}
                onClick={() => setOutcome(null)}
              >
                Change the request
              </Button>
            )}
            {outcome.status === 'pending' && (
              <Button onClick={() => navigation.go('approvals')}>Open approvals</Button>
            )}
            <Button variant="light" leftSection={<IconRefresh size={16} />} onClick={startOver}>
              Start a new disclosure
            </Button>
          </Group>
        </Stack>
      </div>
    );
  }

  return (
    <div className="section-scroll">
      <Stack gap="md" maw={1080} pb="lg">
        <ScreenHeader
          title="Disclose"
          description="Customer data leaves for a third party only this way. Every attempt, refused ones included, is recorded."
        />
        <Paper withBorder p="md">
          <Stepper active={step} onStepClick={goTo} size="sm" allowNextStepsSelect={false}>
            {STEPS.map((label) => (
              <Stepper.Step key={label} label={label} />
            ))}
          </Stepper>
        </Paper>

        <Paper withBorder p="lg" data-testid={`wizard-step-${STEPS[step]!.toLowerCase()}`}>
          <Stack gap="md">
            <Title order={3} fz="h4">
              {STEP_TITLES[step]}
            </Title>
            {step === 0 && (
              <RecipientStep
                recipients={active}
                loading={recipients.loading}
                error={recipients.error}
                value={recipientId}
                onChange={setRecipientId}
              />
            )}
            {step === 1 && (
              <PurposeStep
                recipient={recipient}
                value={purpose}
                onChange={choosePurpose}
                access={session.fieldAccess}
              />
            )}
            {step === 2 && (
              <AccountsStep
                allAccounts={allAccounts}
                purpose={purpose}
                accounts={accounts}
                onChange={setAccounts}
              />
            )}
            {step === 3 && (
              <FieldsStep
                purpose={purpose}
                available={available}
                value={fields}
                onChange={setFields}
              />
            )}
            {step === 4 && (
              <DetailsStep
                purpose={purpose}
                legal={legal}
                onLegal={setLegal}
                justification={justification}
                onJustification={setJustification}
                errors={fieldErrors}
              />
            )}
            {step === 5 && (
              <Stack gap="md">
                <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
                  <FileFields
                    format={format}
                    onFormat={(f) => {
                      setFormat(f);
                      setFileName((n) => withExtension(n, f));
                    }}
                    fileName={fileName}
                    onFileName={(n) => {
                      setFileName(n);
                      setFileNameTouched(true);
                      setFieldErrors((e) => ({ ...e, fileName: '' }));
                    }}
                    error={fieldErrors.fileName || null}
                  />
                  {summary}
                </SimpleGrid>
                {needsApproval && rule && (
                  <Alert color="yellow" variant="light" icon={<IconInfoCircle size={18} />}>
                    This purpose needs approval by{' '}
                    {rule.approvals.map((r) => ROLE_LABELS[r]).join(' and ')} (not you). Submitting
                    sends the request for approval; the file is written only when you carry it out
                    after approval.
                  </Alert>
                )}
                <ErrorAlert>{submitError}</ErrorAlert>
              </Stack>
            )}
            {stepError && (
              <Text c="red" size="sm" role="alert">
                {stepError}
              </Text>
            )}
            <Group justify="space-between" mt="xs">
              <Button
                variant="default"
                leftSection={<IconArrowLeft size={16} />}
                disabled={step === 0}
                onClick={() => {
                  setStepError(null);
                  setStep((s) => Math.max(0, s - 1));
                }}
              >
                Back
              </Button>
              {step < STEPS.length - 1 ? (
                <Button rightSection={<IconArrowRight size={16} />} onClick={next}>
                  Next
                </Button>
              ) : (
                <Button
                  leftSection={<IconSend size={16} />}
                  loading={busy}
                  onClick={() => void submit()}
                  color={needsApproval ? 'yellow' : undefined}
                >
                  {needsApproval ? 'Request approval' : 'Disclose now'}
                </Button>
              )}
            </Group>
          </Stack>
        </Paper>
      </Stack>
    </div>
  );
}

const STEP_TITLES = [
  'Who receives the data?',
  'Why is it disclosed?',
  'Which customers?',
  'Which fields?',
  'Details the purpose requires',
  'Format and file',
];

function SummaryTable({
  recipient,
  purpose,
  accounts,
  fields,
}: {
  recipient: Recipient | null;
  purpose: Purpose | null;
  accounts: string;
  fields: number;
}) {
  const row = (label: string, value: ReactNode) => (
    <Table.Tr>
      <Table.Th w={120}>{label}</Table.Th>
      <Table.Td>{value}</Table.Td>
    </Table.Tr>
  );
  return (
    <Table variant="vertical" withTableBorder fz="sm" aria-label="Request summary">
      <Table.Tbody>
        {row(
          'Recipient',
          recipient ? `${recipient.name} (${RECIPIENT_TYPE_LABELS[recipient.type]})` : '—',
        )}
        {row('Purpose', purpose ? PURPOSE_LABELS[purpose] : '—')}
        {row('Accounts', accounts)}
        {row('Fields', `${fields} chosen`)}
      </Table.Tbody>
    </Table>
  );
}

function RecipientStep({
  recipients,
  loading,
  error,
  value,
  onChange,
}: {
  recipients: Recipient[];
  loading: boolean;
  error: string | null;
  value: string | null;
  onChange(id: string | null): void;
}) {
  const chosen = recipients.find((r) => r.id === value);
  return (
    <Stack gap="sm" maw={640}>
      <ErrorAlert>{error}</ErrorAlert>
      <Select
        label="Recipient"
        placeholder={loading ? 'Loading…' : 'Choose a registered recipient'}
        data={recipients.map((r) => ({
          value: r.id,
          label: `${r.name} · ${RECIPIENT_TYPE_LABELS[r.type]}`,
        }))}
        value={value}
        onChange={onChange}
        searchable
        nothingFoundMessage="No such recipient"
        allowDeselect={false}
      />
      {!loading && recipients.length === 0 && (
        <Text size="sm" c="dimmed">
          No recipient is registered. Compliance registers third parties under Recipients.
        </Text>
      )}
      {chosen && (
        <Paper withBorder p="sm" bg="gray.0">
          <Text fw={600} size="sm">
            {chosen.name}
          </Text>
          <Text size="sm" c="dimmed">
            {RECIPIENT_TYPE_LABELS[chosen.type]}
            {chosen.reference ? ` · ref. ${chosen.reference}` : ''}
          </Text>
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
            {chosen.contact}
          </Text>
        </Paper>
      )}
    </Stack>
  );
}

/** The fields a purpose's condition reads that this role may not read (the gate refuses then). */
function blindFields(access: VisibleAccess, purpose: Purpose): FieldKey[] {
  return PURPOSE_RULES[purpose].conditionFields.filter((f) => {
    const a = access[f];
    return a === undefined || !canRead(a);
  });
}

function PurposeStep({
  recipient,
  value,
  onChange,
  access,
}: {
  recipient: Recipient | null;
  value: Purpose | null;
  onChange(p: Purpose): void;
  access: VisibleAccess;
}) {
  const rule = value ? PURPOSE_RULES[value] : null;
  const mismatch = rule && recipient && !rule.recipientTypes.includes(recipient.type);
  const blind = value ? blindFields(access, value) : [];
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
      <Radio.Group
        value={value}
        onChange={(v) => onChange(v as Purpose)}
        label="Purpose"
        description="The privacy policy allows these purposes only."
      >
        <Stack gap="xs" mt="xs">
          {PURPOSES.map((p) => {
            const fits = !recipient || PURPOSE_RULES[p].recipientTypes.includes(recipient.type);
            return (
              <Radio.Card key={p} value={p} p="sm" radius="sm" className="purpose-card">
                <Group wrap="nowrap" align="flex-start">
                  <Radio.Indicator mt={2} />
                  <div>
                    <Text fw={600} size="sm">
                      {PURPOSE_LABELS[p]}
                    </Text>
                    {!fits && recipient && (
                      <Text size="xs" c="orange.8">
                        Not for a {RECIPIENT_TYPE_LABELS[recipient.type].toLowerCase()}
                      </Text>
                    )}
                    {blindFields(access, p).length > 0 && (
                      <Text size="xs" c="orange.8">
                        Your role cannot read what it depends on
                      </Text>
                    )}
                  </div>
                </Group>
              </Radio.Card>
            );
          })}
        </Stack>
      </Radio.Group>
      <div>
        {rule && value ? (
          <Paper withBorder p="md" bg="indigo.0" data-testid="purpose-rule">
            <Stack gap={8}>
              <Text fw={600}>The rule for {PURPOSE_LABELS[value].toLowerCase()}</Text>
              <RuleLine label="Recipients">
                {rule.recipientTypes.map((t) => RECIPIENT_TYPE_LABELS[t]).join(', ')}
              </RuleLine>
              <RuleLine label="Condition">{rule.condition}</RuleLine>
              <RuleLine label="Approval">
                {rule.approvals.length === 0
                  ? 'None: admitted at once when the rule holds'
                  : rule.approvals.map((r) => ROLE_LABELS[r]).join(' and ')}
              </RuleLine>
              <RuleLine label="Legal basis">{LEGAL_BASIS[value]}</RuleLine>
            </Stack>
          </Paper>
        ) : (
          <Text size="sm" c="dimmed" mt={30}>
            Choose a purpose to see the rule the gate applies.
          </Text>
        )}
        {blind.length > 0 && (
          <Alert
            mt="sm"
            color="orange"
            variant="light"
            icon={<IconAlertTriangle size={18} />}
            title="Your role cannot ask for this purpose"
          >
            Its condition depends on {blind.map((f) => fieldLabel(f).toLowerCase()).join(' and ')},
            which your role may not read; the gate refuses it without looking at the accounts. A
            colleague whose role reads it can ask.
          </Alert>
        )}
        {mismatch && recipient && (
          <Alert
            mt="sm"
            color="orange"
            variant="light"
            icon={<IconAlertTriangle size={18} />}
            title="This recipient does not fit the purpose"
          >
            {recipient.name} is a {RECIPIENT_TYPE_LABELS[recipient.type].toLowerCase()}; this
            purpose goes only to:{' '}
            {rule.recipientTypes.map((t) => RECIPIENT_TYPE_LABELS[t].toLowerCase()).join(', ')}. The
            gate will refuse it.
          </Alert>
        )}
      </div>
    </SimpleGrid>
  );
}

function RuleLine({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Group gap="sm" wrap="nowrap" align="flex-start">
      <Text size="sm" c="dimmed" w={90} style={{ flex: 'none' }}>
        {label}
      </Text>
      <Text size="sm">{children}</Text>
    </Group>
  );
}

function AccountsStep({
  allAccounts,
  purpose,
  accounts,
  onChange,
}: {
  allAccounts: boolean;
  purpose: Purpose | null;
  accounts: PickedAccount[];
  onChange(next: PickedAccount[]): void;
}) {
  const { session } = useSession();
  const [text, setText] = useState('');
  const [search] = useDebouncedValue(text.trim(), 250);
  const [results, setResults] = useState<PickedAccount[]>([]);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (allAccounts || !search) {
      setResults([]);
      setError(null);
      return;
    }
    let live = true;
    setLoading(true);
    call('accounts.list', {
      search,
      sort: canSortBy('accountNumber', session.fieldAccess) ? 'accountNumber' : 'createdAt',
      direction: 'asc',
      limit: 10,
    })
      .then((page) => {
        if (!live) return;
        setResults(page.rows.map(toPicked));
        setError(null);
      })
      .catch((err: unknown) => {
        if (!live || isSessionProblem(err)) return;
        setResults([]);
        setError(isApiError(err) ? (err.fieldErrors?.search ?? err.message) : 'Search failed.');
      })
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [search, allAccounts, session.fieldAccess]);

  if (allAccounts) {
    return (
      <Alert
        color="indigo"
        variant="light"
        icon={<IconInfoCircle size={18} />}
        title="All accounts"
      >
        A business transfer covers every customer account at the time it is carried out. It cannot
        name single accounts.
      </Alert>
    );
  }
  const chosen = new Set(accounts.map((a) => a.id));
  return (
    <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="lg">
      <Stack gap="xs">
        <TextInput
          label="Find accounts"
          description="By account number, name, email or phone."
          placeholder="e.g. C-1000042 or Smith"
          leftSection={<IconSearch size={16} />}
          rightSection={loading ? <Loader size={14} /> : null}
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
          error={error}
          autoComplete="off"
          spellCheck={false}
          maxLength={100}
        />
        {purpose === 'debt_collection' && (
          <Text size="xs" c="dimmed">
            Debt collection admits only accounts in bad standing or in collection.
          </Text>
        )}
        {search && !loading && results.length === 0 && !error && (
          <Text size="sm" c="dimmed">
            No matching accounts.
          </Text>
        )}
        {results.length > 0 && (
          <Table verticalSpacing={6} fz="sm" aria-label="Search results" highlightOnHover>
            <Table.Tbody>
              {results.map((a) => (
                <Table.Tr key={a.id}>
                  <Table.Td ff="monospace" w={110}>
                    {a.accountNumber}
                  </Table.Td>
                  <Table.Td>{a.name || '—'}</Table.Td>
                  <Table.Td>
                    <StandingBadge standing={a.standing} />
                  </Table.Td>
                  <Table.Td ta="right">
                    <Button
                      size="compact-sm"
                      variant="light"
                      leftSection={<IconPlus size={14} />}
                      disabled={chosen.has(a.id)}
                      onClick={() => onChange([...accounts, a])}
                      aria-label={`Add ${a.accountNumber}`}
                    >
                      {chosen.has(a.id) ? 'Added' : 'Add'}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
      <Stack gap="xs">
        <Group justify="space-between">
          <Text size="sm" fw={500}>
            Chosen accounts ({accounts.length})
          </Text>
          {accounts.length > 0 && (
            <Button size="compact-xs" variant="subtle" color="gray" onClick={() => onChange([])}>
              Remove all
            </Button>
          )}
        </Group>
        <Paper withBorder>
          {accounts.length === 0 ? (
            <Text size="sm" c="dimmed" p="md" ta="center">
              None yet: find accounts and add them.
            </Text>
          ) : (
            <Table verticalSpacing={6} fz="sm" aria-label="Chosen accounts">
              <Table.Tbody>
                {accounts.map((a) => (
                  <Table.Tr key={a.id}>
                    <Table.Td ff="monospace" w={110}>
                      {a.accountNumber}
                    </Table.Td>
                    <Table.Td>{a.name || '—'}</Table.Td>
                    <Table.Td>
                      <StandingBadge standing={a.standing} />
                    </Table.Td>
                    <Table.Td ta="right" w={40}>
                      <ActionIcon
                        variant="subtle"
                        color="gray"
                        onClick={() => onChange(accounts.filter((x) => x.id !== a.id))}
                        aria-label={`Remove ${a.accountNumber}`}
                      >
                        <IconTrash size={16} />
                      </ActionIcon>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Paper>
      </Stack>
    </SimpleGrid>
  );
}

function FieldsStep({
  purpose,
  available,
  value,
  onChange,
}: {
  purpose: Purpose | null;
  available: readonly FieldKey[];
  value: Set<FieldKey>;
  onChange(next: Set<FieldKey>): void;
}) {
  const groups = FIELD_CATEGORIES.map((category) => ({
    category,
    keys: FIELDS.filter((f) => f.category === category && available.includes(f.key)).map(
      (f) => f.key,
    ),
  })).filter((g) => g.keys.length > 0);
  const toggle = (key: FieldKey, on: boolean) => {
    const next = new Set(value);
    if (on) next.add(key);
    else next.delete(key);
    onChange(next);
  };
  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          {purpose === 'debt_collection'
            ? 'Debt collection is limited to the collection field set. '
            : ''}
          Only fields your role may read in full can be disclosed. The purpose&apos;s usual set is
          ticked; disclose no more than the recipient needs.
        </Text>
        <Group gap="xs" wrap="nowrap">
          <Text size="sm" fw={500} data-testid="field-count">
            {value.size} of {available.length} chosen
          </Text>
          <Button
            size="compact-sm"
            variant="subtle"
            onClick={() =>
              onChange(
                new Set(
                  purpose ? DEFAULT_FIELDS[purpose].filter((k) => available.includes(k)) : [],
                ),
              )
            }
          >
            Usual set
          </Button>
          <Button
            size="compact-sm"
            variant="subtle"
            color="gray"
            onClick={() => onChange(new Set())}
          >
            None
          </Button>
        </Group>
      </Group>
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="md">
        {groups.map((g) => (
          <Paper key={g.category} withBorder p="sm">
            <Text size="xs" tt="uppercase" c="dimmed" fw={600} mb={6} lts={0.4}>
              {CATEGORY_LABELS[g.category]}
            </Text>
            <Stack gap={6}>
              {g.keys.map((k) => (
                <Checkbox
                  key={k}
                  label={fieldLabel(k)}
                  checked={value.has(k)}
                  onChange={(e) => toggle(k, e.currentTarget.checked)}
                />
              ))}
            </Stack>
          </Paper>
        ))}
      </SimpleGrid>
    </Stack>
  );
}

function DetailsStep({
  purpose,
  legal,
  onLegal,
  justification,
  onJustification,
  errors,
}: {
  purpose: Purpose | null;
  legal: Legal;
  onLegal(next: Legal): void;
  justification: string;
  onJustification(text: string): void;
  errors: Record<string, string>;
}) {
  if (purpose === 'legal_process') {
    return (
      <Stack gap="sm" maw={640}>
        <Text size="sm" c="dimmed">
          As written on the instrument. The record keeps them as the legal basis.
        </Text>
        <Select
          label="Instrument type"
          placeholder="Choose the kind of legal instrument"
          data={INSTRUMENT_TYPES.map((t) => ({ value: t, label: INSTRUMENT_LABELS[t] }))}
          value={legal.instrumentType}
          onChange={(v) => onLegal({ ...legal, instrumentType: v as InstrumentType | null })}
          error={errors['legal.instrumentType']}
          allowDeselect={false}
        />
        <TextInput
          label="Reference number"
          value={legal.reference}
          onChange={(e) => onLegal({ ...legal, reference: e.currentTarget.value })}
          error={errors['legal.reference']}
          maxLength={200}
        />
        <TextInput
          label="Issuing authority"
          placeholder="e.g. District Court of Springfield"
          value={legal.authority}
          onChange={(e) => onLegal({ ...legal, authority: e.currentTarget.value })}
          error={errors['legal.authority']}
          maxLength={200}
        />
        <TextInput
          label="Date of issue"
          type="date"
          max={todayIso()}
          value={legal.date}
          onChange={(e) => onLegal({ ...legal, date: e.currentTarget.value })}
          error={errors['legal.date']}
          w={220}
        />
      </Stack>
    );
  }
  if (purpose === 'exigent_circumstances') {
    return (
      <Stack gap="sm" maw={720}>
        <Textarea
          label="Justification"
          description="What is the danger to personal safety or to the integrity of systems, who reported it, and why it cannot wait. A second compliance officer reads this before approving."
          value={justification}
          onChange={(e) => onJustification(e.currentTarget.value)}
          error={errors.justification}
          autosize
          minRows={4}
          maxLength={4000}
        />
      </Stack>
    );
  }
  return (
    <Text size="sm" c="dimmed">
      {purpose ? PURPOSE_LABELS[purpose] : 'This purpose'} needs no further details: the gate checks
      each account against the rule when you submit.
    </Text>
  );
}
