import { AppShell } from '@mantine/core';
import { AccessLogScreen } from '../accesslog/AccessLogScreen';
import { AccountsScreen } from '../accounts/AccountsScreen';
import { CollectionsScreen } from '../collections/CollectionsScreen';
import { DashboardScreen } from '../collections/DashboardScreen';
import { ApprovalsScreen } from '../disclosures/ApprovalsScreen';
import { DisclosureLogScreen } from '../disclosures/DisclosureLogScreen';
import { RecipientsScreen } from '../disclosures/RecipientsScreen';
import { DisclosureWizard } from '../disclosures/wizard/DisclosureWizard';
import { ImportScreen } from '../import/ImportScreen';
import type { AccountsRequest, PickedAccount, Section } from '../navigation';
import { SettingsScreen } from '../settings/SettingsScreen';
import { StaffScreen } from '../staff/StaffScreen';
import { AccessMatrixScreen } from '../visibility/AccessMatrixScreen';

/** The screens opened and closed with their section. */
const CLOSING: Partial<Record<Section, () => React.JSX.Element>> = {
  approvals: ApprovalsScreen,
  collections: CollectionsScreen,
  dashboard: DashboardScreen,
  recipients: RecipientsScreen,
  disclosureLog: DisclosureLogScreen,
  accessLog: AccessLogScreen,
  accessMatrix: AccessMatrixScreen,
  staff: StaffScreen,
  settings: SettingsScreen,
};

/** Kept mounted while another section shows, so that switching back keeps the user's place. */
function Parked({ shown, children }: { shown: boolean; children: React.ReactNode }) {
  return <div className={shown ? 'section-fill' : 'section-fill parked'}>{children}</div>;
}

/** The main area: the chosen section's screen, if the role may open it. */
export function SectionViews({
  section,
  allowed,
  wizard,
  accountsGeneration,
  accountsRequest,
}: {
  section: Section;
  allowed(section: Section): boolean;
  wizard: { key: number; accounts: PickedAccount[] };
  accountsGeneration: number;
  accountsRequest: { n: number; to: AccountsRequest } | undefined;
}) {
  // Approvals is open to every role (each sees the requests that concern them).
  const Closing = section === 'approvals' || allowed(section) ? CLOSING[section] : undefined;
  return (
    <AppShell.Main className="console-main">
      <Parked shown={section === 'accounts'}>
        <AccountsScreen generation={accountsGeneration} request={accountsRequest} />
      </Parked>
      <Parked shown={section === 'disclose'}>
        <DisclosureWizard
          key={wizard.key}
          initialAccounts={wizard.accounts}
          active={section === 'disclose'}
        />
      </Parked>
      {Closing && <Closing />}
      {/* An import's progress and result outlive a look elsewhere. */}
      {allowed('import') && (
        <Parked shown={section === 'import'}>
          <ImportScreen />
        </Parked>
      )}
    </AppShell.Main>
  );
}
