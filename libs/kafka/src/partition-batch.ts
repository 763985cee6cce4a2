import type { KafkaMessage } from 'kafkajs';
import type { DeadLetter } from './dlq-publisher';
import { offsetAfter, type InboundMessage, type MessageResult } from './message-result';
import { handleIsolatingPoison } from './poison-isolation';
import { UndecodableMessageError } from './schema-codec';
import type { BatchStage } from './stall-watch';
import type { StreamHandler } from './stream-handler';

/** Reads a message's bytes; throws UndecodableMessageError for bytes no schema reads, anything else to retry. */
export interface MessageDecoder {
  decode(topic: string, buffer: Buffer | null): Promise<unknown>;
}

/** Where dead letters go. Throwing leaves the batch uncommitted, so no message is lost. */
export interface DeadLetterSink {
  publish(letters: DeadLetter[], now: Date): Promise<void>;
}

export interface PartitionBatchPorts<T> {
  decoder: MessageDecoder;
  handler: StreamHandler<T>;
  /** True for an error the same input raises again: the batch is then bisected to find the poison message. */
  isPermanentError: (error: unknown) => boolean;
  deadLetters: DeadLetterSink;
  onPoisonIsolated?: (item: InboundMessage<T>, detail: string) => void;
}

/** One partition's messages, in offset order. */
export interface PartitionBatch {
  topic: string;
  partition: number;
  messages: readonly KafkaMessage[];
}

export interface PartitionBatchOutcome {
  /** The batch's last offset, which the consumer's fetch position moves past. */
  lastOffset: string;
  /** The offset to commit for the group: the one after the last message. */
  commitOffset: string;
  /** Published: undecodable and invalid messages in offset order, then those the handler answered so. */
  deadLetters: DeadLetter[];
}

interface ValidMessage<T> {
  message: KafkaMessage;
  item: InboundMessage<T>;
}

type Refusal = Pick<DeadLetter, 'reason' | 'detail'> & { value: unknown };

/**
 * Decodes and validates every message, hands the valid ones to the handler (isolating poison), and publishes
 * the dead letters. Throws when the batch must be retried; null only for an empty batch (nothing to commit).
 */
export async function processPartitionBatch<T>(
  ports: PartitionBatchPorts<T>,
  batch: PartitionBatch,
  stage: (stage: BatchStage) => void = () => undefined,
): Promise<PartitionBatchOutcome | null> {
  const last = batch.messages.at(-1);
  if (!last) return null;
  const { topic, partition } = batch;
  stage('decode');
  const deadLetters: DeadLetter[] = [];
  const refusals: Refusal[] = [];
  const valid: Array<ValidMessage<T>> = [];
  for (const message of batch.messages) {
    const checked = await decodeAndValidate(ports, batch, message);
    if ('reason' in checked) {
      deadLetters.push({
        topic,
        partition,
        message,
        reason: checked.reason,
        detail: checked.detail,
        value: checked.value,
      });
      refusals.push(checked);
    } else valid.push({ message, item: checked });
  }
  stage('handle');
  const results = await handleValid(ports, valid);
  valid.forEach(({ message, item }, index) => {
    const result = results[index];
    if (result?.kind === 'dlq') {
      deadLetters.push({
        topic,
        partition,
        message,
        reason: result.reason,
        detail: result.detail,
        value: item.value,
      });
      refusals.push({ reason: result.reason, detail: result.detail, value: item.value });
    }
  });
  stage('dead-letters');
  if (refusals.length > 0) await ports.handler.recordRefusals?.(refusals);
  if (deadLetters.length > 0) await ports.deadLetters.publish(deadLetters, new Date());
  return { lastOffset: last.offset, commitOffset: offsetAfter(last.offset), deadLetters };
}

async function decodeAndValidate<T>(
  ports: PartitionBatchPorts<T>,
  batch: PartitionBatch,
  message: KafkaMessage,
): Promise<InboundMessage<T> | Refusal> {
  let decoded: unknown;
  try {
    decoded = await ports.decoder.decode(batch.topic, message.value);
  } catch (error) {
    // Only bad bytes are the message's fault; a registry outage must retry the batch.
    if (error instanceof UndecodableMessageError)
      return { reason: 'undecodable', detail: error.message, value: undefined };
    throw error;
  }
  const validation = ports.handler.validate(decoded);
  if (!validation.ok) return { reason: 'invalid', detail: validation.detail, value: decoded };
  return {
    topic: batch.topic,
    partition: batch.partition,
    offset: message.offset,
    key: message.key ? message.key.toString() : null,
    headers: message.headers ?? {},
    timestamp: message.timestamp,
    value: validation.value,
  };
}

async function handleValid<T>(
  ports: PartitionBatchPorts<T>,
  valid: ReadonlyArray<ValidMessage<T>>,
): Promise<MessageResult[]> {
  if (valid.length === 0) return [];
  const { handler } = ports;
  const results = await handleIsolatingPoison(
    (items) => handler.handle(items),
    valid.map(({ item }) => item),
    ports.isPermanentError,
    (item, detail) => ports.onPoisonIsolated?.(item, detail),
  );
  // A short or long answer would dead-letter or commit the wrong messages.
  if (results.length !== valid.length)
    throw new Error(`${handler.name} returned ${results.length} results for ${valid.length} messages`);
  return results;
}
