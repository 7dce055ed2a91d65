/** Recipients, disclosures, internal exports and the access log. */
import { channel, only, COMPLIANCE, OVERSIGHT, empty } from './spec';
import { z } from 'zod';
import { id, listAccountsInput, safeText } from '../schemas';
import { EXPORT_FORMATS, PURPOSES } from '../disclosure';
import {
  accessLogFilter,
  disclosureRequestInput,
  documentFileName,
  exportFileName,
  fieldKey,
  recipientInput,
} from '../disclosure-schemas';
import type {
  AccessLogPage,
  AuditCheckpoint,
  ChainVerification,
  DisclosureOutcome,
  DisclosureRecordView,
  DisclosureRequestView,
  Recipient,
} from '../types';

export const disclosuresChannels = {
  'recipients.list': channel<Recipient[]>()({ input: empty, gate: 'session' }),
  'recipients.create': channel<Recipient>()({
    input: recipientInput.strict(),
    gate: 'session',
    roles: only(OVERSIGHT, 'register recipients'),
  }),
  'recipients.update': channel<Recipient>()({
    input: recipientInput
      .partial()
      .extend({ id, version: z.number().int().min(1), active: z.boolean().optional() })
      .strict(),
    gate: 'session',
    roles: only(OVERSIGHT, 'change recipients'),
  }),
  'disclosures.request': channel<DisclosureOutcome>()({
    input: disclosureRequestInput,
    gate: 'session',
  }),
  'disclosures.inbox': channel<DisclosureRequestView[]>()({ input: empty, gate: 'session' }),
  'disclosures.decide': channel<DisclosureRequestView>()({
    input: z
      .object({
        requestId: id,
        decision: z.enum(['approved', 'rejected']),
        note: safeText(1000).optional(),
      })
      .strict(),
    gate: 'session',
  }),
  'disclosures.execute': channel<DisclosureOutcome>()({
    input: z.object({ requestId: id, fileName: exportFileName }).strict(),
    gate: 'session',
  }),
  'disclosures.log': channel<{ records: DisclosureRecordView[]; nextCursor: number | null }>()({
    input: z
      .object({
        purpose: z.enum([...PURPOSES, 'internal']).optional(),
        cursor: z.number().int().positive().optional(),
        limit: z.number().int().min(1).max(500).default(100),
      })
      .strict(),
    gate: 'session',
    roles: only(OVERSIGHT, 'read the disclosure log'),
  }),
  'disclosures.accounting': channel<DisclosureRecordView[]>()({
    input: z.object({ accountId: id }).strict(),
    gate: 'session',
    roles: only(OVERSIGHT, "read a customer's accounting of disclosures"),
    audit: {
      action: 'view_disclosures',
      screen: 'accounts.disclosures',
      details: (input) => ({ recordIds: [input.accountId] }),
    },
  }),
  'disclosures.accountingReport': channel<DisclosureRecordView>()({
    input: z
      .object({ accountId: id, format: z.enum(EXPORT_FORMATS), fileName: exportFileName })
      .strict(),
    gate: 'session',
    roles: only(COMPLIANCE, 'save an accounting of disclosures'),
  }),
  // The accounting as a PDF for the customer: written, recorded and access-logged as every
  // export is; it names the customer with the fields the caller's role may see.
  'disclosures.accountingPdf': channel<DisclosureRecordView>()({
    input: z
      .object({
        accountId: id,
        fileName: documentFileName,
      })
      .strict(),
    gate: 'session',
    roles: only(COMPLIANCE, 'save an accounting of disclosures'),
  }),
  'disclosures.verify': channel<ChainVerification>()({
    input: z.object({ checkpoint: z.string().max(10_000).optional() }).strict(),
    gate: 'session',
    roles: only(OVERSIGHT, 'verify the disclosure log'),
  }),
  'disclosures.checkpoint': channel<{ checkpoint: AuditCheckpoint; fileName: string }>()({
    input: z.object({ fileName: exportFileName }).strict(),
    gate: 'session',
    roles: only(COMPLIANCE, 'save a checkpoint of the disclosure log'),
  }),
  'disclosures.recovered': channel<DisclosureRecordView[]>()({
    input: empty,
    gate: 'session',
    roles: only(OVERSIGHT, 'see interrupted disclosures'),
  }),
  'exports.accounts': channel<DisclosureRecordView>()({
    input: z
      .object({
        search: listAccountsInput.shape.search,
        searchKind: listAccountsInput.shape.searchKind,
        sort: listAccountsInput.shape.sort,
        direction: listAccountsInput.shape.direction,
        fields: z.array(fieldKey).min(1, 'Choose at least one field.'),
        format: z.enum(EXPORT_FORMATS),
        fileName: exportFileName,
      })
      .strict(),
    gate: 'session',
  }),
  'accessLog.list': channel<AccessLogPage>()({
    input: accessLogFilter
      .extend({
        cursor: id.optional(),
        limit: z.number().int().min(1).max(500).default(100),
      })
      .strict(),
    gate: 'session',
    roles: only(COMPLIANCE, 'read the access log'),
    audit: {
      action: 'view_access_log',
      screen: 'accessLog',
      details: (input, page) => ({
        queryKind:
          input.accountId || input.accountNumber
            ? 'account'
            : input.staffId || input.username
              ? 'staff'
              : 'all',
        resultCount: page.entries.length,
      }),
    },
  }),
  'accessLog.export': channel<DisclosureRecordView>()({
    input: accessLogFilter
      .extend({ format: z.enum(EXPORT_FORMATS), fileName: exportFileName })
      .strict(),
    gate: 'session',
    roles: only(COMPLIANCE, 'export the access log'),
  }),
  'accessLog.prune': channel<{ removed: number; cutoff: string }>()({
    input: empty,
    gate: 'session',
    roles: only(OVERSIGHT, 'prune the access log'),
  }),
} as const;
