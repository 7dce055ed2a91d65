import { useState } from 'react';
import { STEPS } from './draft';

/** Which step is shown, and the rule that only complete steps are left forward. */
export function useStepper(problemAt: (step: number) => string | null) {
  const [step, setStep] = useState(0);
  const [stepError, setStepError] = useState<string | null>(null);

  function next() {
    const problem = problemAt(step);
    setStepError(problem);
    if (!problem) setStep((s) => Math.min(s + 1, STEPS.length - 1));
  }

  function goTo(target: number) {
    // Going back is always allowed; going forward only through valid steps.
    for (let i = 0; i < target; i++) {
      const problem = problemAt(i);
      if (problem) {
        setStep(i);
        setStepError(problem);
        return;
      }
    }
    setStepError(null);
    setStep(target);
  }

  function back() {
    setStepError(null);
    setStep((s) => Math.max(0, s - 1));
  }

  return {
    step,
    stepError,
    isLast: step === STEPS.length - 1,
    next,
    goTo,
    back,
    restart: () => setStep(0),
  };
}
