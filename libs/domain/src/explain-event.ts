import { explainReason, type ReasonCode } from './reason-codes';
import type { SequenceDefinition } from './sequence-definition';
import { eventRequestId, type EventTrace } from './event-trace';

/** A sequence of the account as it is now (name, flags, current published definition). */
export interface SequenceNow {
  id: string;
  name: string;
  active: boolean;
  publishedVersion: number | null;
  definition: SequenceDefinition | null;
}

/** The decision a routed request got, as the "why" shows it. */
export interface DecisionSummary {
  outcome: 'enrolled' | 'ignored';
  reason: ReasonCode;
  enrollmentId: string | null;
  relatedId: string | null;
}

export type EventConclusion =
  | {
      sequenceId: string;
      name: string | null;
      heard: true;
      requestId: string;
      method: string;
      /** `pending` while the enrollment app has not decided the request. */
      conclusion: ReasonCode | 'pending';
      explanation: string;
      enrollmentId: string | null;
      relatedId: string | null;
    }
  | {
      sequenceId: string;
      name: string;
      heard: false;
      conclusion: 'sequence_inactive' | 'sequence_not_published' | 'other_trigger';
      explanation: string;
    };

/** The event types a definition listens to (event triggers and the event cues of AI triggers). */
const listensTo = (definition: SequenceDefinition | null, eventType: string | null): boolean =>
  definition?.triggers.some(
    (t) =>
      (t.type === 'event' && t.eventType === eventType) ||
      (t.type === 'ai' && t.cue.kind === 'event' && t.cue.eventType === eventType),
  ) ?? false;

/**
 * "Why did this event (not) enroll the contact?": each sequence the router sent it to, with the decision its
 * request got (enrolled, duplicate, target missing from the event, ...), then each other sequence of the
 * account with why it did not hear the event, judged from the sequence as it is now (unpublished, inactive,
 * or listening to another trigger). Pure.
 */
export function explainEvent(
  trace: EventTrace,
  sequences: readonly SequenceNow[],
  decisions: ReadonlyMap<string, DecisionSummary>,
): EventConclusion[] {
  const names = new Map(sequences.map((s) => [s.id, s.name]));
  const heard = new Set(trace.routed.map((r) => r.sequenceId));
  const routed = trace.routed.map((route): EventConclusion => {
    const requestId = eventRequestId(trace.eventId, route.sequenceId);
    const decision = decisions.get(requestId);
    return {
      sequenceId: route.sequenceId,
      name: names.get(route.sequenceId) ?? null,
      heard: true,
      requestId,
      method: route.method,
      conclusion: decision ? decision.reason : 'pending',
      explanation: decision
        ? explainReason(decision.reason)
        : 'Routed; the enrollment app has not decided the request yet.',
      enrollmentId: decision?.enrollmentId ?? null,
      relatedId: decision?.relatedId ?? null,
    };
  });
  const others = sequences
    .filter((s) => !heard.has(s.id))
    .map((s): EventConclusion => {
      const base = { sequenceId: s.id, name: s.name, heard: false as const };
      if (!listensTo(s.definition, trace.eventType)) {
        return {
          ...base,
          conclusion: s.publishedVersion === null ? 'sequence_not_published' : 'other_trigger',
          explanation:
            s.publishedVersion === null
              ? 'Not heard: the sequence has no published version.'
              : `Not heard: the published version has no trigger on "${trace.eventType ?? '?'}".`,
        };
      }
      return s.active
        ? {
            ...base,
            conclusion: 'other_trigger',
            explanation:
              'Not heard: the sequence listens to this event now, but did not when the event was routed ' +
              '(published or changed since).',
          }
        : { ...base, conclusion: 'sequence_inactive', explanation: 'Not heard: the sequence is not active.' };
    });
  return [...routed, ...others];
}
