import { Button } from '@mantine/core';
import { IconCheck, IconX } from '@tabler/icons-react';

/** Approve and Reject side by side, for whatever waits for a second person's decision. */
export function DecisionButtons({
  busy,
  onApprove,
  onReject,
  rejectLabel = 'Reject',
  cannotApprove = false,
  rejectDisabled = false,
  about,
}: {
  busy: boolean;
  onApprove(): void;
  onReject(): void;
  rejectLabel?: string;
  cannotApprove?: boolean;
  rejectDisabled?: boolean;
  /** Names the thing decided on in the buttons' accessible names ("the role grant of Ann"). */
  about?: string;
}) {
  return (
    <>
      <Button
        color="teal"
        leftSection={<IconCheck size={16} />}
        loading={busy}
        disabled={cannotApprove}
        onClick={onApprove}
        {...(about ? { 'aria-label': `Approve ${about}` } : {})}
      >
        Approve
      </Button>
      <Button
        color="red"
        variant="light"
        leftSection={<IconX size={16} />}
        disabled={rejectDisabled}
        onClick={onReject}
        {...(about ? { 'aria-label': `Reject ${about}` } : {})}
      >
        {rejectLabel}
      </Button>
    </>
  );
}
