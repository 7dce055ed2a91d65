/** Customer accounts: the list, one account, edits and history. */
import { channel, empty } from './spec';
import { z } from 'zod';
import { accountFieldsInput, id, listAccountsInput, provenanceInput } from '../schemas';
import type { AccountDetail, AccountPage, HistoryEntry, VisibleAccess } from '../types';

export const accountsChannels = {
  'accounts.fieldAccess': channel<VisibleAccess>()({ input: empty, gate: 'session' }),
  'accounts.list': channel<AccountPage>()({
    input: listAccountsInput,
    gate: 'session',
    readsCustomerData: true,
  }),
  'accounts.get': channel<AccountDetail>()({
    input: z.object({ id }).strict(),
    gate: 'session',
    readsCustomerData: true,
  }),
  'accounts.create': channel<AccountDetail>()({
    input: z.object({ fields: accountFieldsInput, provenance: provenanceInput }).strict(),
    gate: 'session',
    readsCustomerData: true,
  }),
  'accounts.update': channel<AccountDetail>()({
    input: z
      .object({
        id,
        version: z.number().int().min(1),
        changes: accountFieldsInput,
        provenance: provenanceInput,
      })
      .strict(),
    gate: 'session',
    readsCustomerData: true,
  }),
  'accounts.history': channel<HistoryEntry[]>()({
    input: z.object({ id }).strict(),
    gate: 'session',
    readsCustomerData: true,
  }),
} as const;
