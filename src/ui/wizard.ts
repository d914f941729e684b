// Walks a sequence of questions where Esc goes back one step. Steps see the answers so far, so a
// later step can be skipped (`when`) or shaped by earlier ones: that is how a decision tree is
// written as a flat list. Going back restores the answers as they were before that step.
import { BACK, isBack, type Back } from './render.js';

export interface WizardStep<S> {
  /** For debugging and tests; not shown to users. */
  id: string;
  /** Ask only when this returns true (default: always). Skipped steps are also skipped on the way back. */
  when?: (state: Readonly<S>) => boolean;
  /** Asks the question and returns the new state, or BACK when the user pressed Esc. */
  ask: (state: Readonly<S>) => Promise<S | Back>;
}

/**
 * Runs the steps in order. BACK from a step returns to the previous step that was asked, with the
 * state it saw then; BACK from the first asked step returns BACK to the caller (leave the wizard).
 */
export async function walkSteps<S>(steps: ReadonlyArray<WizardStep<S>>, initial: S): Promise<S | Back> {
  const history: Array<{ index: number; before: S }> = [];
  let state = initial;
  let index = 0;
  while (index < steps.length) {
    const step = steps[index]!;
    if (step.when && !step.when(state)) {
      index++;
      continue;
    }
    const answer = await step.ask(state);
    if (isBack(answer)) {
      const previous = history.pop();
      if (!previous) return BACK;
      state = previous.before;
      index = previous.index;
      continue;
    }
    history.push({ index, before: state });
    state = answer;
    index++;
  }
  return state;
}
