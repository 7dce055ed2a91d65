/** Standing, holds, collection batches and the dashboard. */
import { channel, HOLD_SETTERS, BATCH_AGENTS, empty, only } from './spec';
import { z } from 'zod';
import { id, isoDate, safeText } from '../schemas';
import { STANDINGS } from '../catalogue';
import { EXPORT_FORMATS } from '../disclosure';
import { HOLD_KINDS } from '../standing';
import { batchFilters, bulkSelection, transitionInput } from '../standing-schemas';
import { documentFileName, exportFileName } from '../disclosure-schemas';
import type {
  AccountHold,
  BatchPreview,
  BulkPreview,
  CollectionBatch,
  DashboardSummary,
  StandingEvent,
  DisclosureOutcome,
  DisclosureRecordView,
} from '../types';

export const collectionsChannels = {
  'standing.timeline': channel<StandingEvent[]>()({
    input: z.object({ accountId: id }).strict(),
    gate: 'session',
    readsCustomerData: true,
  }),
  'standing.transition': channel<StandingEvent>()({
    input: transitionInput.extend({ accountId: id }).strict(),
    gate: 'session',
  }),
  'standing.bulkPreview': channel<BulkPreview>()({
    input: z.object({ selection: bulkSelection, to: z.enum(STANDINGS) }).strict(),
    gate: 'session',
  }),
  'standing.bulkMark': channel<{ changed: number }>()({
    input: transitionInput
      .extend({ selection: bulkSelection, jobId: id.optional() })
      .omit({ balanceCents: true, daysPastDue: true })
      .strict(),
    gate: 'session',
  }),
  'jobs.progress': channel<{ done: number; total: number; finished: boolean } | null>()({
    input: z.object({ jobId: id }).strict(),
    gate: 'session',
  }),
  'holds.list': channel<AccountHold[]>()({
    input: z.object({ accountId: id }).strict(),
    gate: 'session',
    readsCustomerData: true,
  }),
  'holds.set': channel<AccountHold[]>()({
    input: z
      .object({
        accountId: id,
        kind: z.enum(HOLD_KINDS),
        since: isoDate,
        note: safeText(1000).refine((v) => v.length > 0, 'Say what the hold rests on.'),
      })
      .strict(),
    gate: 'session',
    roles: HOLD_SETTERS,
    readsCustomerData: true,
  }),
  'holds.clear': channel<AccountHold[]>()({
    input: z
      .object({
        accountId: id,
        kind: z.enum(HOLD_KINDS),
        note: safeText(1000).refine((v) => v.length > 0, 'Say why the hold ends.'),
      })
      .strict(),
    gate: 'session',
    roles: HOLD_SETTERS,
    readsCustomerData: true,
  }),
  'batches.preview': channel<BatchPreview>()({
    input: batchFilters,
    gate: 'session',
    roles: BATCH_AGENTS,
    readsCustomerData: true,
    audit: {
      action: 'list',
      screen: 'collections.preview',
      details: (_input, preview) => ({
        recordIds: preview.sample.map((r) => r.id),
        resultCount: preview.count,
      }),
    },
  }),
  'batches.send': channel<{ batch: CollectionBatch | null; outcome: DisclosureOutcome }>()({
    input: batchFilters
      .extend({ format: z.enum(EXPORT_FORMATS), fileName: exportFileName })
      .strict(),
    gate: 'session',
    roles: BATCH_AGENTS,
  }),
  'batches.recall': channel<CollectionBatch>()({
    input: z
      .object({
        batchId: id,
        reason: safeText(1000).refine((v) => v.length > 0, 'Say why the batch is recalled.'),
      })
      .strict(),
    gate: 'session',
    roles: BATCH_AGENTS,
  }),
  'batches.list': channel<CollectionBatch[]>()({ input: empty, gate: 'session' }),
  // A batch's placement summary as a PDF: each account as the caller's role sees it, written,
  // recorded and access-logged as every export is.
  'batches.summaryPdf': channel<DisclosureRecordView>()({
    input: z.object({ batchId: id, fileName: documentFileName }).strict(),
    gate: 'session',
    roles: only(
      ['collections_agent', 'compliance_officer', 'administrator'],
      "save a batch's placement summary",
    ),
  }),
  'dashboard.summary': channel<DashboardSummary>()({ input: empty, gate: 'session' }),
} as const;
