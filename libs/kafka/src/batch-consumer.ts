import type { Consumer, EachBatchPayload, Kafka, KafkaMessage, Producer } from 'kafkajs';
import type { Logger } from '@cadence/observability';
import type { ConsumerMetrics } from './consumer-metrics';
import { publishDeadLetters, type DeadLetter } from './dlq-publisher';
import type { FatalErrors } from './fatal-errors';
import { offsetAfter, type InboundMessage, type MessageResult, type Validation } from './message-result';
import { UndecodableMessageError, type SchemaCodec } from './schema-codec';
import { handleIsolatingPoison } from './poison-isolation';
import type { BatchStage } from './stall-watch';
import { SupervisedConsumer } from './supervised-consumer';

/** A stream handler: validates each decoded value, then processes one partition's valid messages at once. */
export interface StreamHandler<T> {
  readonly name: string;
  validate(value: unknown): Validation<T>;
  /** One result per item, in order. Throwing means "retry the whole batch" (nothing is committed). */
  handle(items: ReadonlyArray<InboundMessage<T>>): Promise<MessageResult[]>;
}

export interface BatchConsumerOptions<T> {
  groupId: string;
  topics: string[];
  handler: StreamHandler<T>;
  partitionsConsumedConcurrently?: number;
  fromBeginning?: boolean;
  /** Told when kafkajs gives up on the consumer and replacing it did not help. */
  fatalErrors?: FatalErrors;
  metrics?: ConsumerMetrics;
  /**
   * Tells errors that the same input will raise again (a value the database refuses) from transient ones.
   * When the handler fails with such an error, the batch is split until the message that causes it is
   * found, and that message alone is dead-lettered as "rejected": one poison message cannot stall its
   * partition. Handlers are idempotent under redelivery, so re-handling the halves is safe.
   */
  isPermanentError?: (error: unknown) => boolean;
  /** How long the group waits for a silent member before giving its partitions to the others. */
  sessionTimeoutMs?: number;
}

/**
 * kafkajs eachBatch with manual offsets: decode and validate every message, hand the valid ones to the
 * handler, dead-letter the rest with the reason in headers, and commit only after all of that succeeded.
 */
export class BatchConsumer<T> {
  readonly name: string;
  private readonly member: SupervisedConsumer;

  constructor(
    kafka: Kafka,
    private readonly codec: SchemaCodec,
    /** Whose current kafkajs producer sends the dead letters (it may be replaced while running). */
    private readonly dlq: { readonly producer: Producer },
    private readonly logger: Logger,
    private readonly options: BatchConsumerOptions<T>,
  ) {
    this.name = `consumer:${options.groupId}`;
    this.member = new SupervisedConsumer(kafka, logger, options, (consumer, payload, stage) =>
      this.processStages(consumer, payload, stage),
    );
  }

  /** Ready while it is a member of its group (see SupervisedConsumer). */
  status(): { ok: boolean; detail?: string } {
    return this.member.status();
  }

  async start(): Promise<void> {
    this.options.metrics?.declare(this.options.handler.name, this.options.topics);
    await this.member.start();
  }

  /** Lets the in-flight batch finish (and commit), then leaves the group. */
  async stop(): Promise<void> {
    await this.member.stop();
  }

  private async processStages(
    consumer: Consumer,
    payload: EachBatchPayload,
    stage: (stage: BatchStage) => void,
  ): Promise<void> {
    const { batch } = payload;
    if (batch.messages.length === 0 || !payload.isRunning() || payload.isStale()) return;
    stage('decode');
    const startedAt = Date.now();
    const letters: DeadLetter[] = [];
    const valid: Array<InboundMessage<T>> = [];
    for (const message of batch.messages) {
      const checked = await this.decodeAndValidate(batch.topic, message);
      if ('letter' in checked)
        letters.push({ topic: batch.topic, partition: batch.partition, message, ...checked.letter });
      else valid.push({ ...checked.item, partition: batch.partition });
    }
    const decodedAt = Date.now();
    stage('handle');
    const results =
      valid.length > 0
        ? await handleIsolatingPoison(
            (items) => this.options.handler.handle(items),
            valid,
            (error) => this.options.isPermanentError?.(error) ?? false,
            (item, detail) =>
              this.logger.warn(
                { handler: this.options.handler.name, offset: item.offset, detail },
                'poison message isolated',
              ),
          )
        : [];
    const handledAt = Date.now();
    this.collectRejected(valid, results, batch.messages, letters, batch.topic, batch.partition);
    stage('dead-letters');
    await publishDeadLetters(this.dlq.producer, letters, new Date());
    if (letters.length > 0) {
      this.logger.warn(
        { handler: this.options.handler.name, count: letters.length, topic: batch.topic },
        'dead-lettered',
      );
    }
    const last = batch.messages[batch.messages.length - 1]!;
    // resolveOffset moves this consumer's fetch position; commitOffsets makes it durable for the group.
    payload.resolveOffset(last.offset);
    stage('commit');
    await consumer.commitOffsets([
      { topic: batch.topic, partition: batch.partition, offset: offsetAfter(last.offset) },
    ]);
    stage('heartbeat');
    await payload.heartbeat();
    this.options.metrics?.committed(
      this.options.handler.name,
      {
        topic: batch.topic,
        partition: batch.partition,
        messages: batch.messages.length,
        lag: Math.max(0, Number(batch.highWatermark) - Number(offsetAfter(last.offset))),
        seconds: (Date.now() - startedAt) / 1000,
      },
      letters,
    );
    this.logger.debug(
      {
        handler: this.options.handler.name,
        partition: batch.partition,
        messages: batch.messages.length,
        decodeMs: decodedAt - startedAt,
        handleMs: handledAt - decodedAt,
        commitMs: Date.now() - handledAt,
      },
      'batch',
    );
  }

  private async decodeAndValidate(
    topic: string,
    message: KafkaMessage,
  ): Promise<
    { item: Omit<InboundMessage<T>, 'partition'> } | { letter: Pick<DeadLetter, 'reason' | 'detail'> }
  > {
    let decoded: unknown;
    try {
      decoded = await this.codec.decode(message.value);
    } catch (error) {
      if (error instanceof UndecodableMessageError)
        return { letter: { reason: 'undecodable', detail: error.message } };
      throw error;
    }
    const validation = this.options.handler.validate(decoded);
    if (!validation.ok) return { letter: { reason: 'invalid', detail: validation.detail } };
    return {
      item: {
        topic,
        offset: message.offset,
        key: message.key ? message.key.toString() : null,
        headers: message.headers ?? {},
        timestamp: message.timestamp,
        value: validation.value,
      },
    };
  }

  private collectRejected(
    valid: Array<InboundMessage<T>>,
    results: MessageResult[],
    messages: KafkaMessage[],
    letters: DeadLetter[],
    topic: string,
    partition: number,
  ): void {
    if (results.length !== valid.length) {
      throw new Error(
        `${this.options.handler.name} returned ${results.length} results for ${valid.length} messages`,
      );
    }
    const byOffset = new Map(messages.map((message) => [message.offset, message]));
    results.forEach((result, index) => {
      if (result.kind === 'ok') return;
      const message = byOffset.get(valid[index]!.offset)!;
      letters.push({ topic, partition, message, reason: result.reason, detail: result.detail });
    });
  }
}
