import type { ExitRule, LifecycleType } from '@cadence/contracts';
import type { SequenceDefinition } from './sequence-definition';
import { stepDueAt } from './schedule';

export const ENROLLMENT_STATES = ['active', 'paused', 'completed', 'exited', 'cancelled'] as const;
export type EnrollmentState = (typeof ENROLLMENT_STATES)[number];
export const isLive = (state: EnrollmentState): boolean => state === 'active' || state === 'paused';

export interface EnrollmentSnapshot {
  state: EnrollmentState;
  nextStepIndex: number;
  nextStepDueAt: Date | null;
  definition: SequenceDefinition;
}

export type TransitionRequest =
  | { kind: 'pause' }
  | { kind: 'resume' }
  | { kind: 'cancel' }
  | { kind: 'exit'; rule: ExitRule }
  /** The contact opted out: every live enrollment ends, whatever rules its version lists. */
  | { kind: 'opt_out' };

export type TransitionOutcome =
  | {
      kind: 'apply';
      toState: EnrollmentState;
      nextStepIndex: number;
      nextStepDueAt: Date | null;
      cause: string;
      lifecycle: LifecycleType;
    }
  | { kind: 'noop'; why: string };

const noop = (why: string): TransitionOutcome => ({ kind: 'noop', why });

/**
 * Pause, resume, cancel and exit of one enrollment: pure. Only live enrollments move; an exit applies only
 * when the pinned version lists its rule. On resume, an overdue step follows the sequence's policy:
 * `send_now` keeps it due (it fires on the next pass), `skip` moves to the following step.
 */
export function decideTransition(
  snapshot: EnrollmentSnapshot,
  request: TransitionRequest,
  now: Date,
): TransitionOutcome {
  const base = { nextStepIndex: snapshot.nextStepIndex, nextStepDueAt: snapshot.nextStepDueAt };
  switch (request.kind) {
    case 'pause':
      if (snapshot.state !== 'active') return noop(`cannot pause a ${snapshot.state} enrollment`);
      return { kind: 'apply', toState: 'paused', cause: 'paused', lifecycle: 'paused', ...base };
    case 'resume': {
      if (snapshot.state !== 'paused') return noop(`cannot resume a ${snapshot.state} enrollment`);
      // A live enrollment without a due step is one the step-runner parked (it could not plan the step).
      // Resuming re-plans that same step at once, whatever the policy: it was never sent. If its cause is still
      // there, the next pass parks it again, with a new history row.
      if (snapshot.nextStepDueAt === null) {
        return {
          kind: 'apply',
          toState: 'active',
          cause: 'resumed:unparked',
          lifecycle: 'resumed',
          nextStepIndex: snapshot.nextStepIndex,
          nextStepDueAt: now,
        };
      }
      const overdue = snapshot.nextStepDueAt !== null && snapshot.nextStepDueAt.getTime() < now.getTime();
      if (!overdue || snapshot.definition.resumePolicy === 'send_now') {
        return { kind: 'apply', toState: 'active', cause: 'resumed', lifecycle: 'resumed', ...base };
      }
      const next = snapshot.nextStepIndex + 1;
      const nextDue = stepDueAt(snapshot.definition, next, now);
      if (!nextDue) {
        return {
          kind: 'apply',
          toState: 'completed',
          cause: 'resumed:skipped_last_step',
          lifecycle: 'completed',
          nextStepIndex: next,
          nextStepDueAt: null,
        };
      }
      return {
        kind: 'apply',
        toState: 'active',
        cause: `resumed:skipped_step_${snapshot.nextStepIndex}`,
        lifecycle: 'resumed',
        nextStepIndex: next,
        nextStepDueAt: nextDue,
      };
    }
    case 'cancel':
      if (snapshot.state !== 'active' && snapshot.state !== 'paused') {
        return noop(`cannot cancel a ${snapshot.state} enrollment`);
      }
      return { kind: 'apply', toState: 'cancelled', cause: 'manual_cancel', lifecycle: 'cancelled', ...base };
    case 'exit':
      if (snapshot.state !== 'active' && snapshot.state !== 'paused') {
        return noop(`a ${snapshot.state} enrollment has nothing to exit`);
      }
      if (!snapshot.definition.exitRules.includes(request.rule)) {
        return noop(`exit rule ${request.rule} is not on the pinned version`);
      }
      return {
        kind: 'apply',
        toState: 'exited',
        cause: `exit:${request.rule}`,
        lifecycle: 'exited',
        ...base,
      };
    case 'opt_out':
      if (!isLive(snapshot.state)) return noop(`a ${snapshot.state} enrollment has nothing to end`);
      return { kind: 'apply', toState: 'exited', cause: 'exit:opted_out', lifecycle: 'exited', ...base };
  }
}
