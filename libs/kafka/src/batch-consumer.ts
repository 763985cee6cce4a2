import type { Consumer, EachBatchPayload, Kafka, Producer } from 'kafkajs';
import { SpanKind, inSpan, startSpan, traceParentInHeaders, type Logger } from '@cadence/observability';
import type { ConsumerMetrics } from './consumer-metrics';
import { publishDeadLetters } from './dlq-publisher';
import type { FatalErrors } from './fatal-errors';
import { processPartitionBatch, type PartitionBatchPorts } from './partition-batch';
import type { SchemaCodec } from './schema-codec';
import type { BatchStage } from './stall-watch';
import type { StreamHandler } from './stream-handler';
import { SupervisedConsumer } from './supervised-consumer';

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
 * kafkajs eachBatch with manual offsets: each partition batch is decoded, handled and dead-lettered by
 * processPartitionBatch, and its offset committed only after all of that succeeded.
 */
export class BatchConsumer<T> {
  readonly name: string;
  private readonly member: SupervisedConsumer;
  private readonly ports: PartitionBatchPorts<T>;

  constructor(
    kafka: Kafka,
    codec: SchemaCodec,
    /** Whose current kafkajs producer sends the dead letters (it may be replaced while running). */
    dlq: { readonly producer: Producer },
    private readonly logger: Logger,
    private readonly options: BatchConsumerOptions<T>,
  ) {
    this.name = `consumer:${options.groupId}`;
    this.ports = {
      // The Confluent framing names the schema, so the topic is not needed to decode.
      decoder: { decode: (_topic, buffer) => codec.decode(buffer) },
      handler: options.handler,
      isPermanentError: (error) => options.isPermanentError?.(error) ?? false,
      // Read at each publish: the producer may have been replaced since.
      deadLetters: { publish: (letters, now) => publishDeadLetters(dlq.producer, letters, now) },
      onPoisonIsolated: (item, detail) =>
        logger.warn(
          { handler: options.handler.name, offset: item.offset, detail },
          'poison message isolated',
        ),
    };
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
    const { topic, partition } = batch;
    const { handler } = this.options;
    const startedAt = Date.now();
    // When each stage began, for the debug log's durations.
    const began = new Map<BatchStage, number>();
    // What the handler produces without a trace of its own (a refusal's decision, an exit from activity)
    // carries this span's context; handlers that follow each message's trace open their own spans below it.
    const span = startSpan(`consume ${handler.name}`, {
      kind: SpanKind.CONSUMER,
      links: batch.messages.map((message) => traceParentInHeaders(message.headers)),
      attributes: {
        'messaging.destination.name': topic,
        'messaging.batch.message_count': batch.messages.length,
      },
    });
    const outcome = await inSpan(span, () =>
      processPartitionBatch(this.ports, batch, (next) => {
        began.set(next, Date.now());
        stage(next);
      }),
    );
    if (!outcome) return;
    if (outcome.deadLetters.length > 0) {
      this.logger.warn({ handler: handler.name, count: outcome.deadLetters.length, topic }, 'dead-lettered');
    }
    // resolveOffset moves this consumer's fetch position; commitOffsets makes it durable for the group.
    payload.resolveOffset(outcome.lastOffset);
    stage('commit');
    await consumer.commitOffsets([{ topic, partition, offset: outcome.commitOffset }]);
    stage('heartbeat');
    await payload.heartbeat();
    this.options.metrics?.committed(
      handler.name,
      {
        topic,
        partition,
        messages: batch.messages.length,
        lag: Math.max(0, Number(batch.highWatermark) - Number(outcome.commitOffset)),
        seconds: (Date.now() - startedAt) / 1000,
      },
      outcome.deadLetters,
    );
    const decodedAt = began.get('handle') ?? startedAt;
    const handledAt = began.get('dead-letters') ?? decodedAt;
    this.logger.debug(
      {
        handler: handler.name,
        partition,
        messages: batch.messages.length,
        decodeMs: decodedAt - startedAt,
        handleMs: handledAt - decodedAt,
        commitMs: Date.now() - handledAt,
      },
      'batch',
    );
  }
}
