import { Button, Group } from '@mantine/core';
import { IconArrowLeft, IconPencil, IconSend } from '@tabler/icons-react';
import type { AccountDetail } from '../../../shared/types';
import { canEdit } from '../../../shared/visibility';
import { useNavigation } from '../navigation';
import { accountTitle } from './accountTitle';

/** Above an account: back to the list, and Disclose and Edit where the role may. */
export function AccountActions({
  detail,
  onBack,
  onEdit,
}: {
  detail: AccountDetail | null;
  onBack(): void;
  onEdit(detail: AccountDetail): void;
}) {
  const navigation = useNavigation();
  const disclose = (d: AccountDetail) =>
    navigation.disclose([
      {
        id: d.id,
        accountNumber: String(d.fields.accountNumber),
        name: accountTitle(d),
        standing: typeof d.fields.standing === 'string' ? d.fields.standing : null,
      },
    ]);
  return (
    <Group justify="space-between" wrap="nowrap">
      <Button variant="subtle" leftSection={<IconArrowLeft size={16} />} onClick={onBack} px={6}>
        Back to accounts
      </Button>
      <Group gap="sm">
        {detail && typeof detail.fields.accountNumber === 'string' && (
          <Button
            variant="default"
            leftSection={<IconSend size={16} />}
            onClick={() => disclose(detail)}
          >
            Disclose…
          </Button>
        )}
        {detail && Object.values(detail.access).some((a) => a && canEdit(a)) && (
          <Button leftSection={<IconPencil size={16} />} onClick={() => onEdit(detail)}>
            Edit
          </Button>
        )}
      </Group>
    </Group>
  );
}
