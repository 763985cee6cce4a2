import {
  enrollCommand,
  type ConversationStatus,
  type EnrollCommand,
  type TargetType,
} from '@cadence/contracts';
import type { IdleConversation, SequenceDefinition, TrackedConversation } from '@cadence/domain';

export const MINUTE_MS = 60_000;

/** One inactivity rule of a sequence: its limit, the statuses that count, and how it enrolls. */
export interface InactivityRule {
  accountId: string;
  sequenceId: string;
  targetType: TargetType;
  limitMinutes: number;
  statuses: ConversationStatus[];
  method: 'inactivity' | 'ai';
}

/** The inactivity triggers (and AI triggers cued by inactivity) of an active, published sequence. */
export function inactivityRules(sequence: {
  id: string;
  accountId: string;
  definition: SequenceDefinition | null;
}): InactivityRule[] {
  const definition = sequence.definition;
  if (!definition) return [];
  return definition.triggers.flatMap((trigger): InactivityRule[] => {
    const base = {
      accountId: sequence.accountId,
      sequenceId: sequence.id,
      targetType: definition.targetType,
    };
    if (trigger.type === 'inactivity') {
      return [
        { ...base, limitMinutes: trigger.limitMinutes, statuses: trigger.statuses, method: 'inactivity' },
      ];
    }
    if (trigger.type === 'ai' && trigger.cue.kind === 'inactivity') {
      return [
        { ...base, limitMinutes: trigger.cue.limitMinutes, statuses: trigger.cue.statuses, method: 'ai' },
      ];
    }
    return [];
  });
}

export const limitMs = (rule: InactivityRule): number => rule.limitMinutes * MINUTE_MS;

/** When the conversation's last activity, plus the rule's limit, is (epoch ms): the moment it went idle. */
export const crossingTime = (rule: InactivityRule, conversation: IdleConversation): number =>
  new Date(conversation.lastActivityAt).getTime() + limitMs(rule);

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
    commandId: `inactivity:${conversation.conversationId}:${rule.sequenceId}`,
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
