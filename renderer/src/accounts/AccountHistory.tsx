import { Badge, Group, Paper, Skeleton, Stack, Text, Timeline } from '@mantine/core';
import { IconPencil, IconPlus } from '@tabler/icons-react';
import { FIELDS, PROVENANCE_LABELS } from '../../../shared/catalogue';
import type { FieldChange, VisibleFields } from '../../../shared/types';
import { useChannel } from '../data';
import { FieldDisplay, formatRecorded } from '../format';
import { ErrorAlert } from '../ui';

/** Changes in catalogue order (identity, contact, ...), as the Details tab lists fields. */
const ORDER = new Map(FIELDS.map((f, i) => [f.key as string, i]));
const byCatalogue = (a: FieldChange, b: FieldChange) =>
  (ORDER.get(a.field) ?? 0) - (ORDER.get(b.field) ?? 0);

function ChangeValue({
  change,
  value,
  currency,
}: {
  change: FieldChange;
  value: FieldChange['oldValue'];
  currency: VisibleFields['currency'];
}) {
  const fields: VisibleFields = { [change.field]: value };
  if (change.field !== 'currency' && currency !== undefined) fields.currency = currency;
  return (
    <FieldDisplay
      fieldKey={change.field}
      fields={fields}
      access={{ [change.field]: change.access, currency: 'read' }}
    />
  );
}

/** The account's change history: who changed which field, from what to what, on what source. */
export function AccountHistory({
  id,
  currency,
}: {
  id: string;
  currency: VisibleFields['currency'];
}) {
  const history = useChannel('accounts.history', { id });
  if (history.error) return <ErrorAlert>{history.error}</ErrorAlert>;
  if (!history.data) return <Skeleton h={220} />;
  const entries = [...history.data].reverse();
  return (
    <Paper withBorder p="lg">
      <Timeline bulletSize={26} lineWidth={2} active={entries.length} aria-label="Account history">
        {entries.map((e) => (
          <Timeline.Item
            key={e.id}
            data-testid="history-entry"
            bullet={e.event === 'created' ? <IconPlus size={14} /> : <IconPencil size={14} />}
            title={
              <Group gap="xs">
                <Text fw={600} size="sm">
                  {e.event === 'created' ? 'Account created' : 'Updated'}
                </Text>
                <Text size="sm" c="dimmed">
                  {formatRecorded(e)} · by {e.by}
                </Text>
              </Group>
            }
          >
            <Stack gap={6} mt={4}>
              {(e.source !== null || e.sourceDate !== null) && (
                <Group gap={6}>
                  {e.source !== null && (
                    <Badge variant="outline" color="gray" radius="sm" size="sm">
                      {PROVENANCE_LABELS[e.source] ?? e.source}
                    </Badge>
                  )}
                  {e.sourceDate !== null && (
                    <Text size="xs" c="dimmed">
                      supplied by the customer on {e.sourceDate}
                    </Text>
                  )}
                </Group>
              )}
              {e.changes.length === 0 ? (
                <Text size="sm" c="dimmed">
                  {/* An import records its file once, not each account's values. */}
                  {e.event === 'created' && e.source === 'import'
                    ? 'Created with the values its import file supplied; any change since is listed above it.'
                    : 'No change to fields your role can see.'}
                </Text>
              ) : (
                <dl className="timeline-changes">
                  {[...e.changes].sort(byCatalogue).map((c) => (
                    <div key={c.field} style={{ display: 'contents' }}>
                      <dt>{c.label}</dt>
                      <dd data-field={c.field}>
                        <Group gap={8} wrap="nowrap" component="span">
                          {e.event === 'updated' && (
                            <>
                              <Text span inherit c="dimmed">
                                <ChangeValue change={c} value={c.oldValue} currency={currency} />
                              </Text>
                              <Text span c="dimmed" aria-label="changed to">
                                →
                              </Text>
                            </>
                          )}
                          <ChangeValue change={c} value={c.newValue} currency={currency} />
                        </Group>
                      </dd>
                    </div>
                  ))}
                </dl>
              )}
            </Stack>
          </Timeline.Item>
        ))}
      </Timeline>
    </Paper>
  );
}
