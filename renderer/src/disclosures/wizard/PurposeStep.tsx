import { Alert, Group, Radio, SimpleGrid, Stack, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import {
  PURPOSES,
  PURPOSE_LABELS,
  PURPOSE_RULES,
  RECIPIENT_TYPE_LABELS,
  type Purpose,
} from '../../../../shared/disclosure';
import type { Recipient, VisibleAccess } from '../../../../shared/types';
import { fieldLabel } from '../labels';
import { blindFields } from './draft';
import { PurposeRule } from './PurposeRule';

/** Step 2: the purpose, each marked where the recipient or the role's reading rules it out. */
export function PurposeStep({
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
        onChange={onChange}
        label="Purpose"
        description="The privacy policy allows these purposes only."
      >
        <Stack gap="xs" mt="xs">
          {PURPOSES.map((p) => (
            <PurposeCard key={p} purpose={p} recipient={recipient} access={access} />
          ))}
        </Stack>
      </Radio.Group>
      <div>
        <PurposeRule purpose={value} />
        {blind.length > 0 && (
          <Warning title="Your role cannot ask for this purpose">
            Its condition depends on {blind.map((f) => fieldLabel(f).toLowerCase()).join(' and ')},
            which your role may not read; the gate refuses it without looking at the accounts. A
            colleague whose role reads it can ask.
          </Warning>
        )}
        {mismatch && recipient && (
          <Warning title="This recipient does not fit the purpose">
            {recipient.name} is a {RECIPIENT_TYPE_LABELS[recipient.type].toLowerCase()}; this
            purpose goes only to:{' '}
            {rule.recipientTypes.map((t) => RECIPIENT_TYPE_LABELS[t].toLowerCase()).join(', ')}. The
            gate will refuse it.
          </Warning>
        )}
      </div>
    </SimpleGrid>
  );
}

function PurposeCard({
  purpose: p,
  recipient,
  access,
}: {
  purpose: Purpose;
  recipient: Recipient | null;
  access: VisibleAccess;
}) {
  const fits = !recipient || PURPOSE_RULES[p].recipientTypes.includes(recipient.type);
  return (
    <Radio.Card value={p} p="sm" radius="sm" className="purpose-card">
      <Group wrap="nowrap" align="flex-start">
        <Radio.Indicator mt={2} />
        <div>
          <Text fw={600} size="sm">
            {PURPOSE_LABELS[p]}
          </Text>
          {!fits && recipient && (
            <Text size="xs" c="orange">
              Not for a {RECIPIENT_TYPE_LABELS[recipient.type].toLowerCase()}
            </Text>
          )}
          {blindFields(access, p).length > 0 && (
            <Text size="xs" c="orange">
              Your role cannot read what it depends on
            </Text>
          )}
        </div>
      </Group>
    </Radio.Card>
  );
}

function Warning({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Alert
      mt="sm"
      color="orange"
      variant="light"
      icon={<IconAlertTriangle size={18} />}
      title={title}
    >
      {children}
    </Alert>
  );
}
