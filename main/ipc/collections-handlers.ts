import { writePlacementSummary } from '../services/collections/placement-pdf';
import type { HandlerMap } from './types';

export const collectionsHandlers: HandlerMap<
  | 'standing.timeline'
  | 'standing.transition'
  | 'standing.bulkPreview'
  | 'standing.bulkMark'
  | 'jobs.progress'
  | 'holds.list'
  | 'holds.set'
  | 'holds.clear'
  | 'batches.preview'
  | 'batches.send'
  | 'batches.recall'
  | 'batches.list'
  | 'batches.summaryPdf'
  | 'dashboard.summary'
> = {
  'standing.timeline': (input, ctx) => ctx.services.standing.timeline(ctx.actor(), input.accountId),
  'standing.transition': (input, ctx) => {
    const { accountId, ...transition } = input;
    return ctx.services.standing.transition(ctx.actor(), accountId, transition);
  },
  'standing.bulkPreview': async (input, ctx) => {
    const ids = await ctx.services.standing.resolveSelection(ctx.actor(), input.selection);
    return ctx.services.standing.preview(ctx.actor(), ids, input.to);
  },
  'standing.bulkMark': async (input, ctx) => {
    const { selection, jobId, ...transition } = input;
    const ids = await ctx.services.standing.resolveSelection(ctx.actor(), selection);
    const progress = jobId ? ctx.services.jobs.start(jobId, ctx.session.id, ids.length) : undefined;
    try {
      const events = await ctx.services.standing.bulk(ctx.actor(), ids, transition, (done) =>
        progress?.(done),
      );
      return { changed: events.length };
    } finally {
      if (jobId) ctx.services.jobs.finish(jobId);
    }
  },
  'jobs.progress': (input, ctx) => {
    ctx.staff();
    return Promise.resolve(ctx.services.jobs.get(input.jobId, ctx.session.id));
  },
  'holds.list': (input, ctx) => ctx.services.standing.holds(ctx.actor(), input.accountId),
  'holds.set': (input, ctx) =>
    ctx.services.standing.setHold(
      ctx.actor(),
      input.accountId,
      input.kind,
      input.since,
      input.note,
    ),
  'holds.clear': (input, ctx) =>
    ctx.services.standing.clearHold(ctx.actor(), input.accountId, input.kind, input.note),
  'batches.preview': (input, ctx) => ctx.services.collections.preview(ctx.actor(), input),
  'batches.send': (input, ctx) => {
    const { format, fileName, ...filters } = input;
    return ctx.services.collections.send(ctx.session, ctx.actor(), filters, { format, fileName });
  },
  'batches.recall': (input, ctx) =>
    ctx.services.collections.recall(ctx.actor(), input.batchId, input.reason),
  'batches.list': (_input, ctx) => ctx.services.collections.list(ctx.actor()),
  'batches.summaryPdf': async (input, ctx) => {
    const actor = ctx.actor();
    const summary = await ctx.services.collections.placementSummary(actor, input.batchId);
    const access = await ctx.services.visibility.accessFor(actor.role);
    return writePlacementSummary(
      ctx.services.exports,
      ctx.session,
      actor,
      summary,
      access,
      input.fileName,
    );
  },
  'dashboard.summary': (_input, ctx) => ctx.services.collections.dashboard(ctx.actor()),
};
