import type { EnrollmentMethod, MaestroVerdict, TargetRef } from '@cadence/contracts';
import type { IgnoredReason } from './reason-codes';
import type { ReentryPolicy, SequenceDefinition, Trigger } from './sequence-definition';

/** What the decision needs to know about the account. */
export interface AccountFacts {
  automationModuleEnabled: boolean;
  maestroEnabled: boolean;
}

/** What the decision needs to know about the sequence: its flags and the definition of its current version. */
export interface SequenceFacts {
  id: string;
  active: boolean;
  publishedVersion: number | null;
  definition: SequenceDefinition | null;
}

/** The Maestro's answer for an AI enrollment, already asked (the gate never runs inside a decision). */
export type { MaestroVerdict };

export interface EnrollRequest {
  requestId: string;
  contactId: string;
  method: EnrollmentMethod;
  /** The object to enroll: the contact itself unless the request named another (see `commandTarget`). */
  target: TargetRef;
  maestroVerdict: MaestroVerdict | null;
}

export interface DecisionInput {
  request: EnrollRequest;
  account: AccountFacts | null;
  sequence: SequenceFacts | null;
  /** The live (active or paused) enrollment for the same sequence, contact and target, if any. */
  liveEnrollmentId: string | null;
  /** The first decision made under the same idempotency key, if any. */
  earlierDecision: { requestId: string } | null;
  /** The contact unsubscribed or blocked the account (and has not opted back in). */
  optedOut: boolean;
  /** When the last ended enrollment for the same sequence, contact and target ended, if any. */
  lastEndedAt: Date | null;
  /** How many more enrollments the sequence takes today under its daily cap; null without a cap. */
  capRemaining: number | null;
  now: Date;
}

export type Decision =
  | {
      outcome: 'enrolled';
      reason: 'enrolled' | 'enrolled_maestro_unavailable';
      version: number;
      target: TargetRef;
    }
  | { outcome: 'ignored'; reason: IgnoredReason; relatedId: string | null };

const ignored = (reason: IgnoredReason, relatedId: string | null = null): Decision => ({
  outcome: 'ignored',
  reason,
  relatedId,
});

/** Event, inactivity and AI enrollments need that trigger on the sequence (an AI cue goes through the gate). */
function triggerAllows(triggers: readonly Trigger[], method: EnrollmentMethod): boolean {
  switch (method) {
    case 'event':
    case 'inactivity':
    case 'ai':
      return triggers.some((trigger) => trigger.type === method);
    case 'manual':
    case 'bulk':
    case 'api':
    case 'automation':
    case 'macro':
    case 'flow':
      return true;
  }
}

const needsAutomationModule = (method: EnrollmentMethod): boolean =>
  method === 'automation' || method === 'macro' || method === 'flow';

/** Why an ended enrollment keeps the contact out, under the sequence's re-entry policy, or null. */
function reentryRefusal(
  policy: ReentryPolicy,
  lastEndedAt: Date | null,
  now: Date,
): 'reentry_not_allowed' | 'reentry_cooldown' | null {
  if (!lastEndedAt) return null;
  switch (policy.policy) {
    case 'always':
      return null;
    case 'never':
      return 'reentry_not_allowed';
    case 'cooldown':
      return now.getTime() - lastEndedAt.getTime() < policy.cooldownMinutes * 60_000
        ? 'reentry_cooldown'
        : null;
  }
}

/**
 * The enrollment decision: pure, total, and ordered from the cheapest explanation to the most specific.
 * Idempotent replays are answered first, then prerequisites, then the one-live-enrollment rule.
 */
export function decideEnrollment(input: DecisionInput): Decision {
  const { request, account, sequence } = input;
  if (input.earlierDecision && input.earlierDecision.requestId !== request.requestId) {
    return ignored('idempotent_replay', input.earlierDecision.requestId);
  }
  if (!account) return ignored('account_not_found');
  if (!sequence) return ignored('sequence_not_found');
  if (sequence.publishedVersion === null || !sequence.definition) return ignored('sequence_not_published');
  if (!sequence.active) return ignored('sequence_inactive');
  if (!triggerAllows(sequence.definition.triggers, request.method)) return ignored('trigger_mismatch');
  if (needsAutomationModule(request.method) && !account.automationModuleEnabled)
    return ignored('module_disabled');
  if (request.method === 'ai' && !account.maestroEnabled) return ignored('maestro_disabled');
  const { target } = request;
  if (target.type !== sequence.definition.targetType) return ignored('target_mismatch');
  if (input.optedOut) return ignored('contact_opted_out');
  if (input.liveEnrollmentId) return ignored('duplicate', input.liveEnrollmentId);
  const reentry = reentryRefusal(sequence.definition.reentry, input.lastEndedAt, input.now);
  if (reentry) return ignored(reentry);
  if (request.method === 'ai' && request.maestroVerdict === 'no') return ignored('maestro_declined');
  if (input.capRemaining !== null && input.capRemaining <= 0) return ignored('daily_cap_reached');
  const maestroSkipped = request.method === 'ai' && request.maestroVerdict !== 'yes';
  return {
    outcome: 'enrolled',
    reason: maestroSkipped ? 'enrolled_maestro_unavailable' : 'enrolled',
    version: sequence.publishedVersion,
    target,
  };
}
