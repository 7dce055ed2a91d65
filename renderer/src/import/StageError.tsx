import { ErrorAlert } from '../ui';
import type { Stage } from './useImportFlow';

const ERROR_TITLES: Record<Stage, string> = {
  choosing: 'The file could not be chosen',
  checking: 'The file could not be checked',
  importing: 'Nothing was imported',
};

/** A refusal, shown in the step it belongs to. */
export function StageError({
  error,
  stage,
}: {
  error: { stage: Stage; message: string } | null;
  stage: Stage;
}) {
  if (!error || error.stage !== stage) return null;
  return <ErrorAlert title={ERROR_TITLES[stage]}>{error.message}</ErrorAlert>;
}
