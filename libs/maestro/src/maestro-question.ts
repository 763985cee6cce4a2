import { MAESTRO_QUESTION_MAX } from '@cadence/contracts';
import {
  RECENT_MESSAGES_KEPT,
  RECENT_MESSAGE_TEXT_MAX,
  truncateText,
  type RecentMessage,
} from '@cadence/domain';
import type { MaestroQuestion, QuestionMessage } from './maestro.port';

/** Event data entries passed to the Maestro, and the characters kept of each key and value. */
export const QUESTION_DATA_ENTRIES = 20;
export const QUESTION_DATA_KEY_MAX = 100;
export const QUESTION_DATA_VALUE_MAX = 500;
/** The whole question as sent (JSON characters): what one LLM call may cost, whatever the event carried. */
export const QUESTION_MAX = 16_000;

export interface QuestionInput extends Omit<MaestroQuestion, 'recentMessages'> {
  recentMessages: readonly RecentMessage[];
}

const asked = (message: RecentMessage): QuestionMessage => ({
  direction: message.direction,
  at: new Date(message.at).toISOString(),
  text: message.text === null ? null : truncateText(message.text, RECENT_MESSAGE_TEXT_MAX),
});

/**
 * The question, bounded: the last `RECENT_MESSAGES_KEPT` messages (text cut at `RECENT_MESSAGE_TEXT_MAX`), at
 * most `QUESTION_DATA_ENTRIES` data entries (cut at their key and value bounds); should the JSON still exceed
 * `QUESTION_MAX` (text full of escaped characters), data entries go first, then the oldest messages.
 */
export function buildQuestion(input: QuestionInput): MaestroQuestion {
  const data = Object.entries(input.data)
    .slice(0, QUESTION_DATA_ENTRIES)
    .map(([key, value]): [string, string] => [
      truncateText(key, QUESTION_DATA_KEY_MAX),
      truncateText(value, QUESTION_DATA_VALUE_MAX),
    ]);
  const messages = input.recentMessages.slice(-RECENT_MESSAGES_KEPT).map(asked);
  const question = (): MaestroQuestion => ({
    accountId: input.accountId,
    contactId: input.contactId,
    sequenceId: input.sequenceId,
    eventType: input.eventType,
    conversationId: input.conversationId,
    data: Object.fromEntries(data),
    recentMessages: messages,
  });
  let built = question();
  while (JSON.stringify(built).length > QUESTION_MAX && (data.length > 0 || messages.length > 0)) {
    if (data.length > 0) data.pop();
    else messages.shift();
    built = question();
  }
  return built;
}

/**
 * The question as kept with the decision (the command's `maestroQuestion`): what the Maestro was told about
 * the moment — event type, conversation, recent messages — as compact JSON within `MAESTRO_QUESTION_MAX`
 * (oldest messages dropped first). Ids and data are in the decision already, or not worth keeping twice.
 */
export function questionAsked(question: MaestroQuestion): string {
  const messages = [...question.recentMessages];
  const text = () =>
    JSON.stringify({
      eventType: question.eventType,
      conversationId: question.conversationId,
      recentMessages: messages,
    });
  let kept = text();
  while (kept.length > MAESTRO_QUESTION_MAX && messages.length > 0) {
    messages.shift();
    kept = text();
  }
  return kept;
}
