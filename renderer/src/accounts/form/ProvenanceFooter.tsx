import { Button, Group, Paper, Select, Text, TextInput } from '@mantine/core';
import { IconDeviceFloppy } from '@tabler/icons-react';
import { todayIso } from '../../format';
import { MANUAL_SOURCES } from './values';

/** Where the information came from, and Cancel / Save: the footer of the account form. */
export function ProvenanceFooter({
  source,
  onSource,
  sourceDate,
  onSourceDate,
  errors,
  busy,
  submitLabel,
  onCancel,
}: {
  source: string | null;
  onSource(source: string | null): void;
  sourceDate: string;
  onSourceDate(date: string): void;
  errors: Record<string, string>;
  busy: boolean;
  submitLabel: string;
  onCancel(): void;
}) {
  return (
    <Paper withBorder p="sm" className="form-footer" maw={1100}>
      <Group justify="space-between" align="flex-end" wrap="nowrap" gap="md">
        <Group align="flex-start" wrap="nowrap" gap="md">
          <Select
            label="How did the customer supply this?"
            placeholder="Choose a channel"
            data={MANUAL_SOURCES}
            value={source}
            onChange={onSource}
            error={errors['provenance.source']}
            withAsterisk
            allowDeselect={false}
            w={300}
          />
          <TextInput
            label="Date supplied"
            type="date"
            value={sourceDate}
            max={todayIso()}
            onChange={(e) => onSourceDate(e.currentTarget.value)}
            error={errors['provenance.date']}
            withAsterisk
            w={180}
          />
        </Group>
        <Group
          gap="sm"
          wrap="nowrap"
          mb={errors['provenance.source'] || errors['provenance.date'] ? 22 : 0}
        >
          <Button variant="default" onClick={onCancel} disabled={busy}>
            Cancel
          </Button>
          <Button type="submit" loading={busy} leftSection={<IconDeviceFloppy size={16} />}>
            {submitLabel}
          </Button>
        </Group>
      </Group>
      <Text size="xs" c="dimmed" mt={6}>
        Every save records where the information came from: Custodian keeps only what customers
        supplied themselves.
      </Text>
    </Paper>
  );
}
