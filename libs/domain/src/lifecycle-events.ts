import type { EnrollmentLifecycleEvent, LifecycleType } from '@cadence/contracts';
import type { DecidedRequest, DueStep, LockedEnrollment } from './enrollment-records';

/**
 * The "started" or "ignored" event of a decision. Its id derives from the request, so publishing it again
 * (after a crash between the commit and the publish) repeats the same event, which consumers dedup.
 */
export function decisionLifecycleEvent(decision: DecidedRequest): EnrollmentLifecycleEvent {
  return {
    id: `${decision.accountId}:${decision.requestId}:decision`,
    type: decision.outcome === 'enrolled' ? 'started' : 'ignored',
    accountId: decision.accountId,
    contactId: decision.contactId,
    sequenceId: decision.sequenceId,
    sequenceVersion: decision.sequenceVersion,
    enrollmentId: decision.enrollmentId,
    requestId: decision.requestId,
    reason: decision.reason,
    stepIndex: null,
    time: new Date(decision.decidedAt).getTime(),
  };
}

/** The event of a pause, resume, cancel or exit that changed an enrollment. */
export function transitionLifecycleEvent(
  enrollment: LockedEnrollment,
  change: { id: string; type: LifecycleType; requestId: string; cause: string; at: Date },
): EnrollmentLifecycleEvent {
  return {
    id: change.id,
    type: change.type,
    accountId: enrollment.accountId,
    contactId: enrollment.contactId,
    sequenceId: enrollment.sequenceId,
    sequenceVersion: enrollment.sequenceVersion,
    enrollmentId: enrollment.id,
    requestId: change.requestId,
    reason: change.cause,
    stepIndex: null,
    time: change.at.getTime(),
  };
}

/** "step_sent" (id stable per enrollment and step) or "completed" after the last step of a due step's enrollment. */
export function stepLifecycleEvent(
  step: Omit<DueStep, 'definition'>,
  event: { type: 'step_sent' } | { type: 'completed' | 'exited'; id: string },
  at: Date,
): EnrollmentLifecycleEvent {
  return {
    id: event.type === 'step_sent' ? `${step.enrollmentId}:${step.stepIndex}:sent` : event.id,
    type: event.type,
    accountId: step.accountId,
    contactId: step.contactId,
    sequenceId: step.sequenceId,
    sequenceVersion: step.sequenceVersion,
    enrollmentId: step.enrollmentId,
    requestId: null,
    reason: event.type === 'exited' ? 'exit:opted_out' : null,
    stepIndex: event.type === 'step_sent' ? step.stepIndex : null,
    time: at.getTime(),
  };
}
