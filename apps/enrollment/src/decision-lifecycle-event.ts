import type { EnrollmentLifecycleEvent } from '@cadence/contracts';
import type { DecidedRequest } from '@cadence/persistence';

/** What a stored (or just planned) decision says; the same shape the repository returns for a redelivery. */
export type DecidedFacts = DecidedRequest;

/**
 * The "started" or "ignored" event of a decision. Its id derives from the request, so publishing it again
 * (after a crash between the commit and the publish) repeats the same event, which consumers dedup.
 */
export function decisionLifecycleEvent(decision: DecidedFacts): EnrollmentLifecycleEvent {
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
