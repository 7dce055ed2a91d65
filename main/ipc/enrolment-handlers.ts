import type { HandlerMap } from './types';

export const enrolmentHandlers: HandlerMap<
  'enrolments.issue' | 'enrolments.list' | 'enrolments.revoke'
> = {
  'enrolments.issue': (input, ctx) =>
    ctx.services.enrolments.issue(input.label, ctx.staff().staffId),
  'enrolments.list': (_input, ctx) => ctx.services.enrolments.list(),
  'enrolments.revoke': (input, ctx) =>
    ctx.services.enrolments.revoke(input.id, ctx.staff().staffId),
};
