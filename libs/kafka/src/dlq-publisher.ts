import type { KafkaMessage, Producer } from 'kafkajs';
import { dlqTopic } from '@cadence/contracts';
import { accountOfLetter, DLQ_ACCOUNT_HEADER } from './dead-letter-account';
import type { DlqReason } from './message-result';

export interface DeadLetter {
  topic: string;
  partition: number;
  message: KafkaMessage;
  reason: DlqReason;
  detail: string;
  /** What could be decoded of the message (undefined for undecodable bytes): it may name the account. */
  value?: unknown;
}

/**
 * Dead letters keep the original bytes and headers; the reason travels in headers, and so does the account
 * the message names (in its value or its key), so that each account sees and replays only its own letters.
 */
export function deadLetterRecord(letter: DeadLetter, now: Date) {
  const accountId = accountOfLetter(letter.message.key, letter.value);
  return {
    key: letter.message.key,
    value: letter.message.value,
    headers: {
      ...letter.message.headers,
      'dlq-reason': letter.reason,
      'dlq-detail': letter.detail.slice(0, 2000),
      'dlq-original-topic': letter.topic,
      'dlq-original-partition': String(letter.partition),
      'dlq-original-offset': letter.message.offset,
      'dlq-failed-at': now.toISOString(),
      ...(accountId ? { [DLQ_ACCOUNT_HEADER]: accountId } : {}),
    },
  };
}

export async function publishDeadLetters(
  producer: Producer,
  letters: DeadLetter[],
  now: Date,
): Promise<void> {
  if (letters.length === 0) return;
  const byTopic = new Map<string, DeadLetter[]>();
  for (const letter of letters) byTopic.set(letter.topic, [...(byTopic.get(letter.topic) ?? []), letter]);
  await producer.sendBatch({
    acks: -1,
    topicMessages: [...byTopic].map(([topic, group]) => ({
      topic: dlqTopic(topic),
      messages: group.map((letter) => deadLetterRecord(letter, now)),
    })),
  });
}
