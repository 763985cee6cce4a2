import type { KafkaMessage, Producer } from 'kafkajs';
import { dlqTopic } from '@cadence/contracts';
import type { DlqReason } from './message-result';

export interface DeadLetter {
  topic: string;
  partition: number;
  message: KafkaMessage;
  reason: DlqReason;
  detail: string;
}

/** Dead letters keep the original bytes and headers; the reason travels in headers. */
export function deadLetterRecord(letter: DeadLetter, now: Date) {
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
