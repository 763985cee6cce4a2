import type { IHeaders, Kafka, KafkaMessage } from 'kafkajs';
import { DLQ_ACCOUNT_HEADER } from './dead-letter-account';

/** One dead letter as an operator sees it: where it is, why it is there, and the start of its bytes. */
export interface DeadLetterSummary {
  topic: string;
  partition: number;
  offset: string;
  /** When it was dead-lettered (`dlq-failed-at`), else the record's timestamp. */
  at: string;
  reason: string | null;
  detail: string | null;
  originalTopic: string | null;
  key: string | null;
  /** The first 500 characters of the value: as UTF-8 text when it is that, else base64. */
  valuePreview: string | null;
  /** Whether the account's replay group has already sent it back. */
  replayed: boolean;
}

export interface DeadLetterReading {
  /** Per DLQ topic that exists, the account's letters in offset order per partition. */
  letters: Map<string, DeadLetterSummary[]>;
  /** False when the time ran out before every partition was read to its end offset at the start. */
  complete: boolean;
}

export interface DeadLetterReadOptions {
  /** Only letters whose `dlq-account-id` names this account are kept. */
  accountId: string;
  /** The throwaway consumer group of this read (deleted afterwards; it never commits). */
  groupId: string;
  /** The account's replay group, whose committed offsets say which letters were replayed. */
  replayGroupId: string;
  timeoutMs: number;
}

const PREVIEW_CHARS = 500;

function header(headers: IHeaders | undefined, name: string): string | null {
  const value = headers?.[name];
  return value === undefined ? null : String(value);
}

/** Text if the bytes are valid UTF-8 without control characters other than whitespace, else base64. */
export function previewOf(value: Buffer | null): string | null {
  if (value === null) return null;
  const text = new TextDecoder('utf-8', { fatal: false }).decode(value);
  // eslint-disable-next-line no-control-regex
  const readable = !text.includes('\uFFFD') && !/[\u0000-\u0008\u000E-\u001F]/.test(text);
  return (readable ? text : value.toString('base64')).slice(0, PREVIEW_CHARS);
}

/**
 * Reads the dead letters of the given DLQ topics that belong to one account, with a short-lived consumer that
 * never commits (its group is deleted afterwards), up to each partition's end offset as it was at the start,
 * within `timeoutMs`. Every letter is read to find the account's (a header check each): dead-letter topics
 * are small by nature (each letter is an incident), and the time bound keeps a flooded one from holding up
 * the request — the answer then says it is incomplete.
 */
export async function readDeadLetters(
  kafka: Kafka,
  topics: readonly string[],
  options: DeadLetterReadOptions,
): Promise<DeadLetterReading> {
  const admin = kafka.admin();
  await admin.connect();
  const letters = new Map<string, DeadLetterSummary[]>();
  const ends = new Map<string, bigint>();
  const replayedUpTo = new Map<string, bigint>();
  try {
    const existing = new Set(await admin.listTopics());
    for (const topic of topics.filter((t) => existing.has(t))) {
      letters.set(topic, []);
      for (const { partition, high, low } of await admin.fetchTopicOffsets(topic)) {
        if (BigInt(high) > BigInt(low)) ends.set(`${topic}:${partition}`, BigInt(high));
      }
    }
    const present = [...letters.keys()];
    if (present.length > 0) {
      const committed = await admin.fetchOffsets({ groupId: options.replayGroupId, topics: present });
      for (const { topic, partitions } of committed) {
        for (const { partition, offset } of partitions) {
          if (offset !== '-1') replayedUpTo.set(`${topic}:${partition}`, BigInt(offset));
        }
      }
    }
    if (ends.size === 0) return { letters, complete: true };
    const complete = await consumeUntilEnds(kafka, present, ends, options, (topic, partition, message) => {
      if (header(message.headers, DLQ_ACCOUNT_HEADER) !== options.accountId) return;
      letters.get(topic)?.push({
        topic,
        partition,
        offset: message.offset,
        at: header(message.headers, 'dlq-failed-at') ?? new Date(Number(message.timestamp)).toISOString(),
        reason: header(message.headers, 'dlq-reason'),
        detail: header(message.headers, 'dlq-detail'),
        originalTopic: header(message.headers, 'dlq-original-topic'),
        key: message.key ? message.key.toString() : null,
        valuePreview: previewOf(message.value),
        replayed: BigInt(message.offset) < (replayedUpTo.get(`${topic}:${partition}`) ?? 0n),
      });
    });
    return { letters, complete };
  } finally {
    await admin.deleteGroups([options.groupId]).catch(() => undefined);
    await admin.disconnect();
  }
}

/** True when every partition was read to its end; false when the time ran out first. */
async function consumeUntilEnds(
  kafka: Kafka,
  topics: readonly string[],
  ends: Map<string, bigint>,
  options: DeadLetterReadOptions,
  onMessage: (topic: string, partition: number, message: KafkaMessage) => void,
): Promise<boolean> {
  const remaining = new Map(ends);
  const consumer = kafka.consumer({ groupId: options.groupId, maxWaitTimeInMs: 100 });
  let timer: NodeJS.Timeout | undefined;
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [...topics], fromBeginning: true });
    return await new Promise<boolean>((done, fail) => {
      timer = setTimeout(() => done(false), options.timeoutMs);
      consumer
        .run({
          autoCommit: false,
          eachBatch: async ({ batch }) => {
            const key = `${batch.topic}:${batch.partition}`;
            const end = remaining.get(key);
            if (end === undefined) return;
            for (const message of batch.messages) {
              if (BigInt(message.offset) < end) onMessage(batch.topic, batch.partition, message);
            }
            const last = batch.messages.at(-1);
            if (last && BigInt(last.offset) + 1n >= end) remaining.delete(key);
            if (remaining.size === 0) done(true);
          },
        })
        .catch(fail);
    });
  } finally {
    clearTimeout(timer);
    await consumer.disconnect();
  }
}
