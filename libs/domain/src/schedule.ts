import type { SequenceDefinition } from './sequence-definition';

const MINUTE_MS = 60_000;

/** When the step at `stepIndex` falls due, given when the previous step fired (or the enrollment started). */
export function stepDueAt(
  definition: Pick<SequenceDefinition, 'steps'>,
  stepIndex: number,
  previousAt: Date,
): Date | null {
  const step = definition.steps[stepIndex];
  if (!step) return null;
  return new Date(previousAt.getTime() + step.delayMinutes * MINUTE_MS);
}

/** What happens to an enrollment after its step `firedIndex` was sent at `firedAt`. */
export type StepAdvance = { kind: 'next'; nextStepIndex: number; nextDueAt: Date } | { kind: 'completed' };

export function advanceAfterStep(
  definition: Pick<SequenceDefinition, 'steps'>,
  firedIndex: number,
  firedAt: Date,
): StepAdvance {
  const nextDueAt = stepDueAt(definition, firedIndex + 1, firedAt);
  return nextDueAt ? { kind: 'next', nextStepIndex: firedIndex + 1, nextDueAt } : { kind: 'completed' };
}

/** Whether any of these (new or changed) enrollments has a step due by `now`: the step-runners' fast path. */
export const hasStepDueBy = (rows: ReadonlyArray<{ nextStepDueAt: Date | null }>, now: Date): boolean =>
  rows.some((row) => row.nextStepDueAt !== null && row.nextStepDueAt.getTime() <= now.getTime());
