import type { IHeaders, Kafka, Message } from 'kafkajs';
import { DLQ_ACCOUNT_HEADER } from './dead-letter-account';
import { keyHashPartitioner } from './key-partitioner';

export interface ReplayReport {
  /** Letters sent back, by the topic they went back to. */
  replayed: Record<string, number>;
  /** Letters without an original topic header (not written by this system): skipped. */
  skipped: number;
}

const ORIGINAL_TOPIC = 'dlq-original-topic';

/**
 * Sends the dead letters of one DLQ topic back to the topics they came from, once the cause is fixed (a
 * validation rule, a schema, a database constraint). Key, bytes and the original headers travel back; the
 * `dlq-*` headers give way to `dlq-replayed-from: <dlq topic>:<partition>:<offset>`. Progress is the replay
 * group's committed offset, so each letter is replayed once and a later run takes only newer letters. Returns
 * when every letter present at the start has been replayed.
 *
 * With `accountId`, only the letters whose `dlq-account-id` names that account are replayed (the console's
 * replay, for one account): the others are passed over, neither replayed nor counted. Give each account its
 * own `groupId` then, so one account's progress never passes over another's letters.
 */
export async function replayDeadLetters(
  kafka: Kafka,
  dlqTopic: string,
  groupId: string,
  options: { accountId?: string } = {},
): Promise<ReplayReport> {
  const remaining = await lettersToReplay(kafka, dlqTopic, groupId);
  const report: ReplayReport = { replayed: {}, skipped: 0 };
  if (remaining.size === 0) return report;

  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    createPartitioner: keyHashPartitioner,
  });
  const consumer = kafka.consumer({ groupId });
  await producer.connect();
  await consumer.connect();
  try {
    await consumer.subscribe({ topic: dlqTopic, fromBeginning: true });
    await new Promise<void>((done, fail) => {
      consumer
        .run({
          autoCommit: false,
          eachBatch: async (payload) => {
            const { batch } = payload;
            const end = remaining.get(batch.partition);
            const letters = batch.messages.filter((m) => end !== undefined && BigInt(m.offset) < end);
            const back = new Map<string, Message[]>();
            for (const letter of letters) {
              if (options.accountId && header(letter.headers, DLQ_ACCOUNT_HEADER) !== options.accountId)
                continue;
              const original = header(letter.headers, ORIGINAL_TOPIC);
              if (!original) {
                report.skipped++;
                continue;
              }
              const from = `${dlqTopic}:${batch.partition}:${letter.offset}`;
              const message = {
                key: letter.key,
                value: letter.value,
                headers: replayHeaders(letter.headers, from),
              };
              const messages = back.get(original);
              if (messages) messages.push(message);
              else back.set(original, [message]);
              report.replayed[original] = (report.replayed[original] ?? 0) + 1;
            }
            if (back.size > 0) {
              await producer.sendBatch({
                acks: -1,
                topicMessages: [...back].map(([topic, messages]) => ({ topic, messages })),
              });
            }
            const last = letters.at(-1);
            if (last) {
              payload.resolveOffset(last.offset);
              const next = BigInt(last.offset) + 1n;
              await consumer.commitOffsets([
                { topic: dlqTopic, partition: batch.partition, offset: next.toString() },
              ]);
              if (end !== undefined && next >= end) remaining.delete(batch.partition);
            }
            if (remaining.size === 0) done();
          },
        })
        .catch(fail);
    });
  } finally {
    await consumer.disconnect();
    await producer.disconnect();
  }
  return report;
}

/** Partition → offset to replay up to (exclusive), for partitions whose group offset is behind the end. */
async function lettersToReplay(
  kafka: Kafka,
  dlqTopic: string,
  groupId: string,
): Promise<Map<number, bigint>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    if (!(await admin.listTopics()).includes(dlqTopic)) throw new Error(`no topic named ${dlqTopic}`);
    const ends = await admin.fetchTopicOffsets(dlqTopic);
    const [committed] = await admin.fetchOffsets({ groupId, topics: [dlqTopic] });
    const remaining = new Map<number, bigint>();
    for (const { partition, high, low } of ends) {
      const done = committed?.partitions.find((p) => p.partition === partition)?.offset ?? '-1';
      const from = done === '-1' ? BigInt(low) : BigInt(done);
      if (from < BigInt(high)) remaining.set(partition, BigInt(high));
    }
    return remaining;
  } finally {
    await admin.disconnect();
  }
}

function header(headers: IHeaders | undefined, name: string): string | null {
  const value = headers?.[name];
  return value === undefined ? null : String(value);
}

function replayHeaders(headers: IHeaders | undefined, from: string): IHeaders {
  const kept = Object.entries(headers ?? {}).filter(([name]) => !name.startsWith('dlq-'));
  return { ...Object.fromEntries(kept), 'dlq-replayed-from': from };
}
