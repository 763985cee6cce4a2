import type { ConversationStatus } from '@cadence/contracts';
import type { DecisionSummary, SequenceNow } from './explain-event';
import { crossingTime, inactivityRequestId, inactivityRules } from './inactivity-triggers';
import { explainReason, type ReasonCode } from './reason-codes';

export interface InactivityConclusion {
  sequenceId: string;
  name: string;
  method: 'inactivity' | 'ai';
  limitMinutes: number;
  statuses: ConversationStatus[];
  /** Whether the conversation's current status is one the rule counts. */
  statusCounts: boolean;
  /** Last activity + limit: when the conversation crossed (or will cross) the limit. */
  crossingAt: Date | null;
  requestId: string;
  conclusion:
    | ReasonCode
    | 'sequence_inactive'
    | 'status_not_counted'
    | 'not_idle_yet'
    | 'pending'
    | 'conversation_not_tracked';
  explanation: string;
  enrollmentId: string | null;
}

export interface TrackedConversationNow {
  contactId: string;
  status: ConversationStatus;
  lastActivityAt: Date;
}

/**
 * "Why didn't inactivity fire for this conversation?": for each inactivity rule of the account's sequences
 * (published versions as they are now), whether the conversation's status counts, when it crosses the limit,
 * and whether its request was decided (and how). Pure.
 */
export function explainInactivity(
  accountId: string,
  conversationId: string,
  conversation: TrackedConversationNow | null,
  sequences: readonly SequenceNow[],
  decisions: ReadonlyMap<string, DecisionSummary>,
  now: Date,
): InactivityConclusion[] {
  return sequences.flatMap((sequence) =>
    inactivityRules({ ...sequence, accountId }).map((rule): InactivityConclusion => {
      const requestId = inactivityRequestId(conversationId, sequence.id);
      const decision = decisions.get(requestId);
      const statusCounts = conversation ? rule.statuses.includes(conversation.status) : false;
      const crossing = conversation ? new Date(crossingTime(rule, conversation)) : null;
      const base = {
        sequenceId: sequence.id,
        name: sequence.name,
        method: rule.method,
        limitMinutes: rule.limitMinutes,
        statuses: rule.statuses,
        statusCounts,
        crossingAt: crossing,
        requestId,
        enrollmentId: decision?.enrollmentId ?? null,
      };
      const conclude = (conclusion: InactivityConclusion['conclusion'], explanation: string) => ({
        ...base,
        conclusion,
        explanation,
      });
      if (decision) return conclude(decision.reason, explainReason(decision.reason));
      if (!conversation)
        return conclude('conversation_not_tracked', 'No activity of this conversation has been seen.');
      if (!sequence.active) return conclude('sequence_inactive', 'The sequence is not active.');
      if (!statusCounts)
        return conclude(
          'status_not_counted',
          `The conversation is ${conversation.status}; this rule counts ${rule.statuses.join(', ')}.`,
        );
      if (crossing && crossing.getTime() > now.getTime())
        return conclude(
          'not_idle_yet',
          `It crosses the ${rule.limitMinutes}-minute limit at ${crossing.toISOString()}.`,
        );
      return conclude('pending', 'Crossed the limit; the enroll request has not been decided yet.');
    }),
  );
}
