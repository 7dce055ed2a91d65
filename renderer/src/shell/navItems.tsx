import {
  IconBuildingBank,
  IconChartBar,
  IconChecklist,
  IconEye,
  IconFileImport,
  IconGridDots,
  IconListDetails,
  IconPackageExport,
  IconSend,
  IconSettings,
  IconUserCog,
  IconUsers,
  type Icon,
} from '@tabler/icons-react';
import type { Role } from '../../../shared/roles';
import type { VisibleAccess } from '../../../shared/types';
import { seesBalancesAndStanding } from '../collections/common';
import type { Section } from '../navigation';

export interface NavItem {
  section: Section;
  label: string;
  icon: Icon;
  group: 'work' | 'oversight' | 'admin';
  roles?: readonly Role[];
  /** Shown only when the role may read these (e.g. balances and standing for the dashboard). */
  needs?: (access: VisibleAccess) => boolean;
}

const OVERSIGHT: readonly Role[] = ['compliance_officer', 'administrator'];
const COMPLIANCE: readonly Role[] = ['compliance_officer'];
// Import: main refuses everyone else too; bulk creation of accounts is an administrator's act.
const ADMIN: readonly Role[] = ['administrator'];
const money = { needs: seesBalancesAndStanding };

const item = (
  section: Section,
  label: string,
  icon: Icon,
  group: NavItem['group'],
  rule: Pick<NavItem, 'roles' | 'needs'> = {},
): NavItem => ({ section, label, icon, group, ...rule });

/** The console's sections in the order of the side bar, with who may open each. */
export const NAV: readonly NavItem[] = [
  item('accounts', 'Accounts', IconUsers, 'work'),
  item('disclose', 'Disclose', IconSend, 'work'),
  item('approvals', 'Approvals', IconChecklist, 'work'),
  item('collections', 'Collections', IconPackageExport, 'work', money),
  item('dashboard', 'Dashboard', IconChartBar, 'work', money),
  item('recipients', 'Recipients', IconBuildingBank, 'oversight', { roles: OVERSIGHT }),
  item('disclosureLog', 'Disclosure log', IconListDetails, 'oversight', { roles: OVERSIGHT }),
  item('accessLog', 'Access log', IconEye, 'oversight', { roles: COMPLIANCE }),
  item('accessMatrix', 'Access matrix', IconGridDots, 'oversight', { roles: OVERSIGHT }),
  item('staff', 'Staff', IconUserCog, 'admin', { roles: ADMIN }),
  item('import', 'Import', IconFileImport, 'admin', { roles: ADMIN }),
  item('settings', 'Settings', IconSettings, 'admin', { roles: ADMIN }),
];

export const GROUP_LABELS: Record<NavItem['group'], string | null> = {
  work: null,
  oversight: 'Oversight',
  admin: 'Administration',
};

/** The sections this role (and what it may read) may open. */
export function navItemsFor(role: Role, access: VisibleAccess): NavItem[] {
  return NAV.filter((n) => (!n.roles || n.roles.includes(role)) && (!n.needs || n.needs(access)));
}
