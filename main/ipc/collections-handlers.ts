import type { HandlerContext, HandlerMap } from './types';

function actor(ctx: HandlerContext) {
  const s = ctx.staff();
  return { staffId: s.staffId, role: s.role };
}

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
  | 'dashboard.summary'
> = {
  'standing.timeline': (input, ctx) => ctx.services.standing.timeline(actor(ctx), input.accountId),
  'standing.transition': (input, ctx) => {
    const { accountId, ...transition } = input;
    return ctx.services.standing.transition(actor(ctx), accountId, transition);
  },
  'standing.bulkPreview': async (input, ctx) => {
    const ids = await ctx.services.standing.resolveSelection(actor(ctx), input.selection);
    return ctx.services.standing.preview(actor(ctx), ids, input.to);
  },
  'standing.bulkMark': async (input, ctx) => {
    const { selection, jobId, ...transition } = input;
    const ids = await ctx.services.standing.resolveSelection(actor(ctx), selection);
    const progress = jobId ? ctx.services.jobs.start(jobId, ctx.session.id, ids.length) : undefined;
    try {
      const events = await ctx.services.standing.bulk(actor(ctx), ids, transition, (done) =>
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
  'holds.list': (input, ctx) => ctx.services.standing.holds(actor(ctx), input.accountId),
  'holds.set': (input, ctx) =>
    ctx.services.standing.setHold(actor(ctx), input.accountId, input.kind, input.since, input.note),
  'holds.clear': (input, ctx) =>
    ctx.services.standing.clearHold(actor(ctx), input.accountId, input.kind, input.note),
  'batches.preview': (input, ctx) => ctx.services.collections.preview(actor(ctx), input),
  'batches.send': (input, ctx) => {
    const { format, fileName, ...filters } = input;
    return ctx.services.collections.send(ctx.session, actor(ctx), filters, { format, fileName });
  },
  'batches.recall': (input, ctx) =>
    ctx.services.collections.recall(actor(ctx), input.batchId, input.reason),
  'batches.list': (_input, ctx) => ctx.services.collections.list(actor(ctx)),
  'dashboard.summary': (_input, ctx) => ctx.services.collections.dashboard(actor(ctx)),
};
