import type { AccountDetail } from '../../../shared/types';

/** The customer's name where the role sees it, else the account number. */
export function accountTitle(detail: AccountDetail): string {
  const name = [detail.fields.firstName, detail.fields.lastName]
    .filter((v) => v !== null && v !== undefined && v !== '')
    .join(' ');
  return name || String(detail.fields.accountNumber ?? 'Account');
}
