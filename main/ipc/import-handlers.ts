import type { ImportProgress } from '../services/import/service';
import type { HandlerContext, HandlerMap } from './types';

/**
 * Runs one pass over the file as a job the window can poll (jobs.progress) while this call is
 * still running; `unit` says what the job counts.
 */
async function asJob<T>(
  ctx: HandlerContext,
  jobId: string | undefined,
  total: number,
  unit: (p: ImportProgress) => number,
  work: (onProgress?: (p: ImportProgress) => void) => Promise<T>,
): Promise<T> {
  if (!jobId) return work();
  const update = ctx.services.jobs.start(jobId, ctx.session.id, total);
  try {
    return await work((p) => update(unit(p)));
  } finally {
    ctx.services.jobs.finish(jobId);
  }
}

export const importHandlers: HandlerMap<
  'import.chooseFile' | 'import.check' | 'import.problems' | 'import.run'
> = {
  'import.chooseFile': (_input, ctx) => {
    // A workstation's upload answers this one pick (main/server); then the console's own picker.
    const uploaded = ctx.session.uploadedFile;
    ctx.session.uploadedFile = null;
    return ctx.services.imports.choose(ctx.session.id, ctx.actor(), uploaded ?? undefined);
  },
  'import.check': (input, ctx) => {
    const who = ctx.actor();
    const imports = ctx.services.imports;
    // Checking is counted in bytes: the number of rows is not known until the end.
    return asJob(
      ctx,
      input.jobId,
      imports.sizeOf(ctx.session.id, who, input.token),
      (p) => p.bytesRead,
      (onProgress) =>
        imports.check(
          ctx.session.id,
          who,
          input.token,
          input.mapping,
          onProgress,
          input.dateFormats,
        ),
    );
  },
  'import.problems': (input, ctx) =>
    Promise.resolve(
      ctx.services.imports.problems(
        ctx.session.id,
        ctx.actor(),
        input.token,
        input.offset,
        input.limit,
      ),
    ),
  'import.run': (input, ctx) => {
    const who = ctx.actor();
    const imports = ctx.services.imports;
    // Importing is counted in rows, of which the check counted every one.
    return asJob(
      ctx,
      input.jobId,
      imports.rowsOf(ctx.session.id, who, input.token),
      (p) => p.rows,
      (onProgress) => imports.run(ctx.session.id, who, input.token, onProgress),
    );
  },
};
