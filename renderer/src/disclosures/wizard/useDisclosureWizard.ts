import { useMemo } from 'react';
import { PURPOSE_RULES } from '../../../../shared/disclosure';
import { useChannel } from '../../data';
import { useNavigation, type PickedAccount } from '../../navigation';
import { useSession } from '../../session';
import { coversAllAccounts, disclosableFields, requestOf, stepProblem } from './draft';
import { useDraft } from './useDraft';
import { useStepper } from './useStepper';
import { useSubmitRequest } from './useSubmitRequest';

/** Everything the wizard's steps read and change, in one object handed to each part. */
export function useDisclosureWizard(initialAccounts: PickedAccount[], shown: boolean) {
  const { session } = useSession();
  const navigation = useNavigation();
  // Read the recipients again each time the wizard comes into view: compliance may have
  // registered or deactivated one meanwhile.
  const recipients = useChannel('recipients.list', {}, { enabled: shown });
  const draft = useDraft(initialAccounts, session.fieldAccess);
  const d = draft.draft;
  const active = useMemo(() => (recipients.data ?? []).filter((r) => r.active), [recipients.data]);
  const recipient = active.find((r) => r.id === d.recipientId) ?? null;
  const stepper = useStepper((s) => stepProblem(s, d, recipient));
  const submission = useSubmitRequest(() => navigation.refreshInbox());
  const rule = d.purpose ? PURPOSE_RULES[d.purpose] : null;
  /** Fields this person may put in a disclosure: readable ones (the collection set for debts). */
  const available = useMemo(
    () => disclosableFields(session.fieldAccess, d.purpose),
    [session.fieldAccess, d.purpose],
  );

  return {
    ...draft,
    ...stepper,
    ...submission,
    access: session.fieldAccess,
    recipients: { active, loading: recipients.loading, error: recipients.error },
    recipient,
    rule,
    needsApproval: (rule?.approvals.length ?? 0) > 0,
    allAccounts: coversAllAccounts(d.purpose),
    available,
    openApprovals: () => navigation.go('approvals'),
    send: () => void submission.submit(requestOf(d, recipient!)),
    startOver() {
      submission.clearOutcome();
      stepper.restart();
      draft.reset();
    },
  };
}

export type Wizard = ReturnType<typeof useDisclosureWizard>;
