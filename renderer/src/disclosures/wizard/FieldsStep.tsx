import { Button, Checkbox, Group, Paper, SimpleGrid, Stack, Text } from '@mantine/core';
import { FIELDS, FIELD_CATEGORIES, type FieldKey } from '../../../../shared/catalogue';
import { DEFAULT_FIELDS, type Purpose } from '../../../../shared/disclosure';
import { CATEGORY_LABELS } from '../../format';
import { fieldLabel } from '../labels';

/** Step 4: the fields disclosed, by category; the purpose's usual set is ticked to start with. */
export function FieldsStep({
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
