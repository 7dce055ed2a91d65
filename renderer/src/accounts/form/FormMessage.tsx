import { Alert, Button, Group, List, Stack, Text } from '@mantine/core';
import { IconAlertCircle, IconAlertTriangle, IconGitMerge } from '@tabler/icons-react';
import { FIELD_BY_KEY, type FieldKey } from '../../../../shared/catalogue';
import type { AccountDetail } from '../../../../shared/types';
import { valueText } from '../../format';

export interface Message {
  text: string;
  color: string;
  title?: string;
}

/** The form's message; during a conflict, what was saved meanwhile and the way to rebase on it. */
export function FormMessage({
  message,
  conflict,
  changedByThem,
  onRebase,
}: {
  message: Message;
  conflict: AccountDetail | null;
  changedByThem: readonly FieldKey[];
  onRebase(): void;
}) {
  return (
    <Alert
      color={message.color}
      title={message.title}
      icon={
        message.color === 'orange' ? <IconAlertTriangle size={18} /> : <IconAlertCircle size={18} />
      }
      role={message.color === 'blue' ? 'status' : 'alert'}
      data-testid="form-message"
    >
      <Stack gap="xs">
        <Text size="sm">{message.text}</Text>
        {conflict && (
          <>
            {changedByThem.length > 0 && (
              <div>
                <Text size="sm" fw={600}>
                  Saved meanwhile (version {conflict.version}):
                </Text>
                <List size="sm" spacing={2}>
                  {changedByThem.map((k) => (
                    <List.Item key={k}>
                      {FIELD_BY_KEY[k].label}:{' '}
                      {valueText(k, conflict.fields, conflict.access) ?? '(empty)'}
                    </List.Item>
                  ))}
                </List>
              </div>
            )}
            <Group>
              <Button
                size="xs"
                color="orange"
                leftSection={<IconGitMerge size={14} />}
                onClick={onRebase}
              >
                Use their version as the base
              </Button>
            </Group>
          </>
        )}
      </Stack>
    </Alert>
  );
}
