import type { ConversationStatus, TargetType } from '@cadence/contracts';
import type { SequenceDefinition } from './sequence-definition';

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

/** The inactivity triggers (and AI triggers cued by inactivity) of a sequence's published definition. */
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

export const limitMs = (rule: Pick<InactivityRule, 'limitMinutes'>): number => rule.limitMinutes * MINUTE_MS;

/** When the conversation's last activity, plus the rule's limit, is (epoch ms): the moment it went idle. */
export const crossingTime = (
  rule: Pick<InactivityRule, 'limitMinutes'>,
  conversation: { lastActivityAt: Date },
): number => new Date(conversation.lastActivityAt).getTime() + limitMs(rule);

/** The request id of a conversation's inactivity enrollment: one per conversation and sequence, ever. */
export const inactivityRequestId = (conversationId: string, sequenceId: string): string =>
  `inactivity:${conversationId}:${sequenceId}`;
