import { enrollCommand, type EnrollCommand } from '@cadence/contracts';
import {
  crossingTime,
  inactivityRequestId,
  type IdleConversation,
  type InactivityRule,
  type TrackedConversation,
} from '@cadence/domain';

export { MINUTE_MS, crossingTime, inactivityRules, limitMs, type InactivityRule } from '@cadence/domain';

/**
 * The enroll command for a conversation that went idle past a rule's limit. Its id names the conversation
 * and the sequence, so each conversation is enrolled once per sequence, whatever re-scans happen.
 */
export function inactivityEnrollCommand(rule: InactivityRule, conversation: IdleConversation): EnrollCommand {
  const target =
    rule.targetType === 'conversation'
      ? { type: 'conversation' as const, id: conversation.conversationId }
      : rule.targetType === 'contact'
        ? { type: 'contact' as const, id: conversation.contactId }
        : null;
  return enrollCommand({
    commandId: inactivityRequestId(conversation.conversationId, rule.sequenceId),
    accountId: rule.accountId,
    contactId: conversation.contactId,
    sequenceId: rule.sequenceId,
    target,
    method: rule.method,
    provenance: { conversationId: conversation.conversationId },
    requestedAt: crossingTime(rule, conversation),
  });
}

/**
 * Which of these conversations, as they stand at `now`, are idle past which rule: a rule of their account, a
 * status it counts, and a crossing (last activity + limit) that has passed, but not before `oldestCrossing`.
 */
export function idleByRule(
  rules: readonly InactivityRule[],
  conversations: readonly TrackedConversation[],
  now: Date,
  oldestCrossing: Date,
): Array<{ rule: InactivityRule; idle: IdleConversation[] }> {
  return rules.flatMap((rule) => {
    const idle = conversations.filter((conversation) => {
      const crossing = crossingTime(rule, conversation);
      return (
        conversation.accountId === rule.accountId &&
        rule.statuses.includes(conversation.status) &&
        crossing <= now.getTime() &&
        crossing > oldestCrossing.getTime()
      );
    });
    return idle.length > 0 ? [{ rule, idle }] : [];
  });
}
