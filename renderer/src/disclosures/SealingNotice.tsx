import { Alert, Text } from '@mantine/core';
import type { Recipient } from '../../../shared/types';

/**
 * Says plainly, before any file is written, whether the recipient's file will be sealed to their
 * OpenPGP key (only they can open it) or written in clear to the export folder.
 */
export function SealingNotice({ recipient }: { recipient: Recipient }) {
  if (recipient.openpgpFingerprint) {
    return (
      <Alert color="teal" title="The file will be sealed for this recipient" data-testid="sealing">
        <Text size="sm">
          It is encrypted to their OpenPGP key; only they can open it. Key fingerprint:{' '}
          <Text span ff="monospace" size="sm">
            {recipient.openpgpFingerprint.replace(/(.{4})(?=.)/g, '$1 ')}
          </Text>
        </Text>
      </Alert>
    );
  }
  return (
    <Alert color="yellow" title="This recipient has no OpenPGP key" data-testid="sealing">
      <Text size="sm">
        The file will be written in clear to the export folder. Send it by a protected channel and
        delete it once sent, or have Compliance register the recipient&apos;s public key first.
      </Text>
    </Alert>
  );
}
