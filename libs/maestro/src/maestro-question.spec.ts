import { MAESTRO_QUESTION_MAX } from '@cadence/contracts';
import { RECENT_MESSAGE_TEXT_MAX, type RecentMessage } from '@cadence/domain';
import {
  QUESTION_DATA_ENTRIES,
  QUESTION_DATA_VALUE_MAX,
  QUESTION_MAX,
  buildQuestion,
  questionAsked,
  type QuestionInput,
} from './maestro-question';

const message = (i: number, text: string | null = `message ${i}`): RecentMessage => ({
  id: `m${i}`,
  direction: i % 2 === 0 ? 'inbound' : 'outbound',
  at: Date.UTC(2026, 11, 1, 9, i),
  text,
});
const input = (overrides: Partial<QuestionInput> = {}): QuestionInput => ({
  accountId: 'a',
  contactId: 'c',
  sequenceId: 's',
  eventType: 'conversation.inactive',
  conversationId: 'cv-1',
  data: {},
  recentMessages: [],
  ...overrides,
});

describe('buildQuestion', () => {
  it('passes the last five messages, oldest first, with ISO times and without activity ids', () => {
    const question = buildQuestion(input({ recentMessages: [1, 2, 3, 4, 5, 6, 7].map((i) => message(i)) }));
    expect(question.recentMessages).toEqual(
      [3, 4, 5, 6, 7].map((i) => ({
        direction: i % 2 === 0 ? 'inbound' : 'outbound',
        at: new Date(Date.UTC(2026, 11, 1, 9, i)).toISOString(),
        text: `message ${i}`,
      })),
    );
  });

  it('cuts each text and the event data to their bounds', () => {
    const data = Object.fromEntries(
      Array.from({ length: 30 }, (_, i) => [`key-${i}`, 'v'.repeat(4_000)] as const),
    );
    const question = buildQuestion(input({ data, recentMessages: [message(1, 't'.repeat(2_000))] }));
    expect(question.recentMessages[0]?.text).toHaveLength(RECENT_MESSAGE_TEXT_MAX);
    expect(Object.keys(question.data)).toHaveLength(QUESTION_DATA_ENTRIES);
    expect(Object.values(question.data).every((v) => v.length === QUESTION_DATA_VALUE_MAX)).toBe(true);
    expect(JSON.stringify(question).length).toBeLessThanOrEqual(QUESTION_MAX);
  });

  it('stays within the whole-question bound when escaping swells the text, dropping data first', () => {
    // Every quote and newline doubles when written as JSON; control-free, as activity text is.
    const swollen = '"\n'.repeat(250);
    const data = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, swollen] as const));
    const question = buildQuestion(
      input({ data, recentMessages: [1, 2, 3, 4, 5].map((i) => message(i, swollen)) }),
    );
    expect(JSON.stringify(question).length).toBeLessThanOrEqual(QUESTION_MAX);
    expect(question.recentMessages).toHaveLength(5);
    expect(Object.keys(question.data).length).toBeLessThan(20);
  });
});

describe('questionAsked (kept with the decision)', () => {
  it('keeps the event type, the conversation and the messages as sent', () => {
    const question = buildQuestion(input({ data: { plan: 'pro' }, recentMessages: [message(1)] }));
    expect(JSON.parse(questionAsked(question))).toEqual({
      eventType: 'conversation.inactive',
      conversationId: 'cv-1',
      recentMessages: question.recentMessages,
    });
  });

  it('fits the provenance field, dropping the oldest messages if it must', () => {
    const swollen = '"'.repeat(RECENT_MESSAGE_TEXT_MAX);
    const question = buildQuestion(
      input({ recentMessages: [1, 2, 3, 4, 5].map((i) => message(i, swollen)) }),
    );
    const asked = questionAsked({
      ...question,
      recentMessages: [...question.recentMessages, ...question.recentMessages],
    });
    expect(asked.length).toBeLessThanOrEqual(MAESTRO_QUESTION_MAX);
    expect(JSON.parse(asked)).toMatchObject({ eventType: 'conversation.inactive' });
  });
});
