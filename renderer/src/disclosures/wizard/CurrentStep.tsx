import type { Wizard } from './useDisclosureWizard';
import { AccountsStep } from './AccountsStep';
import { DetailsStep } from './DetailsStep';
import { FieldsStep } from './FieldsStep';
import { FileStep } from './FileStep';
import { PurposeStep } from './PurposeStep';
import { RecipientStep } from './RecipientStep';

/** The body of the step on screen. */
export function CurrentStep({ w }: { w: Wizard }) {
  const { draft, update } = w;
  switch (w.step) {
    case 0:
      return (
        <RecipientStep
          recipients={w.recipients.active}
          loading={w.recipients.loading}
          error={w.recipients.error}
          value={draft.recipientId}
          onChange={(recipientId) => update({ recipientId })}
        />
      );
    case 1:
      return (
        <PurposeStep
          recipient={w.recipient}
          value={draft.purpose}
          onChange={w.choosePurpose}
          access={w.access}
        />
      );
    case 2:
      return (
        <AccountsStep
          allAccounts={w.allAccounts}
          purpose={draft.purpose}
          accounts={draft.accounts}
          onChange={(accounts) => update({ accounts })}
        />
      );
    case 3:
      return (
        <FieldsStep
          purpose={draft.purpose}
          available={w.available}
          value={draft.fields}
          onChange={(fields) => update({ fields })}
        />
      );
    case 4:
      return (
        <DetailsStep
          purpose={draft.purpose}
          legal={draft.legal}
          onLegal={(legal) => update({ legal })}
          justification={draft.justification}
          onJustification={(justification) => update({ justification })}
          errors={w.fieldErrors}
        />
      );
    default:
      return <FileStep w={w} />;
  }
}
