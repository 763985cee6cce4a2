import type { Admin, Consumer, EachBatchPayload, Kafka, KafkaMessage, Producer } from 'kafkajs';
import type { Logger } from '@cadence/observability';
import type { ConsumerMetrics } from './consumer-metrics';
import { publishDeadLetters, type DeadLetter } from './dlq-publisher';
import type { FatalErrors } from './fatal-errors';
import { offsetAfter, type InboundMessage, type MessageResult, type Validation } from './message-result';
import { UndecodableMessageError, type SchemaCodec } from './schema-codec';
import { handleIsolatingPoison } from './poison-isolation';
import { StallWatch, type BatchStage } from './stall-watch';
import { groupLag } from './group-lag';
import { withinDeadline } from './kafka-unavailable';

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
  /** Told when kafkajs gives up on the consumer (a crash it will not restart). */
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

const DEFAULT_SESSION_TIMEOUT_MS = 30_000;
const STALL_CHECK_MS = 5_000;
const MAX_CRASH_RESTARTS = 5;

/**
 * kafkajs eachBatch with manual offsets: decode and validate every message, hand the valid ones to the
 * handler, dead-letter the rest with the reason in headers, and commit only after all of that succeeded.
 */
export class BatchConsumer<T> {
  private consumer: Consumer;
  private joined = false;
  private running = false;
  private lastHeartbeatAt = 0;
  private problem = 'not joined yet';
  private watch: StallWatch;
  private watchTimer: NodeJS.Timeout | undefined;
  private restarting = false;
  private crashRestarts = 0;
  private admin: Admin | undefined;
  readonly name: string;

  constructor(
    private readonly kafka: Kafka,
    private readonly codec: SchemaCodec,
    /** Whose current kafkajs producer sends the dead letters (it may be replaced while running). */
    private readonly dlq: { readonly producer: Producer },
    private readonly logger: Logger,
    private readonly options: BatchConsumerOptions<T>,
  ) {
    this.name = `consumer:${options.groupId}`;
    this.watch = new StallWatch(this.stallLimitMs(), Date.now());
    this.consumer = this.createConsumer();
  }

  private sessionTimeoutMs(): number {
    return this.options.sessionTimeoutMs ?? DEFAULT_SESSION_TIMEOUT_MS;
  }

  /** Twice the session timeout, at least a minute: far beyond any healthy batch or heartbeat gap. */
  private stallLimitMs(): number {
    return Math.max(60_000, 2 * this.sessionTimeoutMs());
  }

  private createConsumer(): Consumer {
    const consumer = this.kafka.consumer({
      groupId: this.options.groupId,
      sessionTimeout: this.sessionTimeoutMs(),
      heartbeatInterval: 3_000,
      maxBytesPerPartition: 1_048_576,
      retry: { retries: 10 },
    });
    consumer.on(consumer.events.GROUP_JOIN, () => {
      this.joined = true;
      this.crashRestarts = 0;
      this.lastHeartbeatAt = Date.now();
      this.watch.progress(Date.now());
    });
    consumer.on(consumer.events.HEARTBEAT, () => {
      this.lastHeartbeatAt = Date.now();
      this.watch.progress(Date.now());
    });
    consumer.on(consumer.events.CRASH, (event) => {
      if (consumer !== this.consumer) return; // a replaced consumer's last words
      this.joined = false;
      const error = String(event.payload.error);
      this.problem = `consumer crashed (${error})${event.payload.restart ? ', rejoining' : ''}`;
      // A crash kafkajs restarts from (a coordinator still loading at boot, say) is worth a warning.
      if (event.payload.restart) {
        this.logger.warn({ error, restart: true }, 'consumer crashed');
        return;
      }
      // One it gives up on (an authentication cut short by a broker going down, say) gets a new consumer, a few
      // times with a growing pause; only a crash that keeps coming back is fatal to the process.
      if (this.running && this.crashRestarts < MAX_CRASH_RESTARTS) {
        const pauseMs = 1_000 * 2 ** this.crashRestarts++;
        this.logger.warn({ error, retryInMs: pauseMs }, 'consumer crashed; replacing it');
        setTimeout(() => {
          if (this.running && consumer === this.consumer) this.replaceConsumer(`crashed (${error})`);
        }, pauseMs);
        return;
      }
      this.logger.error({ error, restart: false }, 'consumer crashed');
      this.running = false;
      this.options.fatalErrors?.report(event.payload.error, `consumer ${this.options.groupId}`);
    });
    return consumer;
  }

  /**
   * Ready while it is a member of its group: joined, and heard from the coordinator within a session timeout
   * (a consumer cut off from the brokers stops heartbeating and is no longer a member).
   */
  status(): { ok: boolean; detail?: string } {
    if (!this.running) return { ok: false, detail: 'not running' };
    if (!this.joined)
      return { ok: false, detail: `not a member of group ${this.options.groupId}: ${this.problem}` };
    const silentMs = Date.now() - this.lastHeartbeatAt;
    if (silentMs > (this.options.sessionTimeoutMs ?? DEFAULT_SESSION_TIMEOUT_MS))
      return {
        ok: false,
        detail: `no heartbeat to group ${this.options.groupId} for ${Math.round(silentMs / 1000)} s`,
      };
    return { ok: true };
  }

  async start(): Promise<void> {
    this.watchTimer = setInterval(() => void this.restartIfStalled(), STALL_CHECK_MS);
    await this.run();
  }

  private async run(): Promise<void> {
    const consumer = this.consumer;
    await consumer.connect();
    await consumer.subscribe({
      topics: this.options.topics,
      fromBeginning: this.options.fromBeginning ?? true,
    });
    this.options.metrics?.declare(this.options.handler.name, this.options.topics);
    this.running = true;
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 1,
      eachBatch: (payload) => this.processBatch(consumer, payload),
    });
  }

  /** Lets the in-flight batch finish (and commit), then leaves the group. */
  async stop(): Promise<void> {
    clearInterval(this.watchTimer);
    await this.admin?.disconnect().catch(() => undefined);
    if (!this.running) return;
    this.running = false;
    await this.consumer.disconnect();
  }

  /** Idle for long: asks the brokers whether the group has messages waiting (bounded; unknown counts as none). */
  private async stalledWithBacklog(): Promise<string | undefined> {
    if (!this.watch.idle(Date.now())) return undefined;
    try {
      this.admin ??= this.kafka.admin({ retry: { retries: 0 } });
      await withinDeadline(this.admin.connect(), STALL_CHECK_MS);
      const backlog = await withinDeadline(
        groupLag(this.admin, this.options.groupId, this.options.topics),
        STALL_CHECK_MS,
      );
      return this.watch.stalledWithBacklog(Date.now(), backlog);
    } catch {
      return undefined;
    }
  }

  /** Every few seconds: a consumer that stopped moving is replaced. */
  private async restartIfStalled(): Promise<void> {
    if (!this.running || this.restarting) return;
    const stall = this.watch.stalled(Date.now()) ?? (await this.stalledWithBacklog());
    if (!stall || this.restarting) return;
    this.logger.error({ group: this.options.groupId, stall }, 'consumer stalled; replacing it');
    this.replaceConsumer(`stalled (${stall})`);
  }

  /**
   * A new kafkajs consumer joins the group in place of the current one, which is let go without waiting for
   * it. Handlers are idempotent, so a batch the old one still finishes later changes nothing.
   */
  private replaceConsumer(why: string): void {
    this.restarting = true;
    const old = this.consumer;
    this.joined = false;
    this.problem = `${why}; rejoining`;
    this.watch = new StallWatch(this.stallLimitMs(), Date.now());
    this.consumer = this.createConsumer();
    void old.disconnect().catch(() => undefined);
    this.run()
      .catch((error: unknown) => {
        this.logger.error({ error: String(error) }, 'the new consumer failed to start; trying again');
        this.problem = `${why}; rejoining failed (${String(error)})`;
      })
      .finally(() => {
        this.restarting = false;
      });
  }

  /** One partition batch, its stages watched (a stage that never ends gets the consumer replaced). */
  private async processBatch(consumer: Consumer, payload: EachBatchPayload): Promise<void> {
    const key = `${payload.batch.topic}:${payload.batch.partition}`;
    const watch = this.watch;
    try {
      await this.processStages(consumer, payload, (stage) => watch.enter(key, stage, Date.now()));
    } finally {
      watch.leave(key, Date.now());
    }
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
