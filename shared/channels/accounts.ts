/** Customer accounts: the list, one account, edits and history. */
import { channel, empty } from './spec';
import { z } from 'zod';
import { accountFieldsInput, id, listAccountsInput, provenanceInput } from '../schemas';
import type { AccountDetail, AccountPage, AccountRow, HistoryEntry, VisibleAccess } from '../types';

export const accountsChannels = {
  'accounts.fieldAccess': channel<VisibleAccess>()({ input: empty, gate: 'session' }),
  'accounts.list': channel<AccountPage>()({
    input: listAccountsInput,
    gate: 'session',
    readsCustomerData: true,
    audit: {
      action: (_input, page) => (page.searchKind ? 'search' : 'list'),
      screen: 'accounts',
      details: (_input, page) => ({
        queryKind: page.searchKind,
        recordIds: page.rows.map((r) => r.id),
      }),
    },
  }),
  'accounts.get': channel<AccountDetail>()({
    input: z.object({ id }).strict(),
    gate: 'session',
    readsCustomerData: true,
    audit: {
      action: 'view_account',
      screen: 'accounts.detail',
      details: (_input, detail) => ({ recordIds: [detail.id] }),
    },
  }),
  /**
   * The accounts the caller opened most recently (their own access-log views, newest first), each
   * as the role sees it: the palette shows them before anything is typed. Showing them again is
   * a listing of those accounts, so it is logged as one (never as a view, which would feed it).
   */
  'accounts.recent': channel<AccountRow[]>()({
    input: empty,
    gate: 'session',
    readsCustomerData: true,
    audit: {
      action: 'list',
      screen: 'palette.recent',
      details: (_input, rows) => ({ recordIds: rows.map((r) => r.id) }),
    },
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
    audit: {
      action: 'view_history',
      screen: 'accounts.history',
      details: (input) => ({ recordIds: [input.id] }),
    },
  }),
} as const;
