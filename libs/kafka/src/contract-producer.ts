import type { Kafka, Producer } from 'kafkajs';
import { TRACEPARENT_HEADER, activeTraceParent } from '@cadence/observability';
import { KafkaUnavailableError, withinDeadline } from './kafka-unavailable';
import { keyHashPartitioner } from './key-partitioner';
import type { SchemaCodec } from './schema-codec';

export interface OutgoingRecord {
  topic: string;
  key: string;
  value: object;
  /** A `traceparent` here wins; without one the record carries the trace active at the send. */
  headers?: Record<string, string>;
}

/** Every produced message carries a W3C traceparent: its own, or the sender's active trace. */
function tracedHeaders(headers: Record<string, string> | undefined): Record<string, string> | undefined {
  if (headers?.[TRACEPARENT_HEADER]) return headers;
  const traceParent = activeTraceParent();
  return traceParent ? { ...headers, [TRACEPARENT_HEADER]: traceParent } : headers;
}

type EncodedMessage = { key: string; value: Buffer; headers?: Record<string, string> };

/** Below the broker's default message.max.bytes (1 MiB), with room for batch overhead. */
const MAX_REQUEST_BYTES = 512 * 1024;

/**
 * A send not acknowledged by then has failed. kafkajs's own retries end sooner; this bounds the cases they do
 * not: a request left pending on a connection to a broker that was killed was seen to wait for minutes, holding
 * its consumer's batch (and heartbeats) with it.
 */
const DEFAULT_SEND_TIMEOUT_MS = 30_000;

/** Sends of the messages a batch left unwritten before the send fails. */
const MAX_RESENDS = 5;

/**
 * An idempotent producer (acks from all in-sync replicas) that encodes values with the topic's registered
 * schema. A send that is not acknowledged in time fails, and the kafkajs producer behind it is replaced by a
 * fresh one (new connections), so one wedged connection cannot stall the process.
 */
export class ContractProducer {
  private current: Producer;
  private readonly partitionOf = new WeakMap<Buffer, number>();

  constructor(
    private readonly kafka: Kafka,
    private readonly codec: SchemaCodec,
    private readonly sendTimeoutMs = DEFAULT_SEND_TIMEOUT_MS,
  ) {
    this.current = this.create();
  }

  /** The kafkajs producer in use now (dead letters are sent through it, as raw bytes). */
  get producer(): Producer {
    return this.current;
  }

  async connect(): Promise<void> {
    await this.current.connect();
  }

  async disconnect(): Promise<void> {
    await this.current.disconnect();
  }

  private create(): Producer {
    // Retries are bounded so that a broker outage surfaces as an error: the caller's batch is then retried
    // whole (never committed), and every message carries a stable id, so a resend is deduplicated downstream.
    return this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 5,
      allowAutoTopicCreation: false,
      createPartitioner: () => this.recordingPartitioner(),
      retry: { retries: 10, initialRetryTime: 300, maxRetryTime: 10_000 },
    });
  }

  /** The key-hash partitioner, remembering each message's partition (by its value buffer) for the check below. */
  private recordingPartitioner(): ReturnType<typeof keyHashPartitioner> {
    const choose = keyHashPartitioner();
    return (args) => {
      const partition = choose(args);
      if (Buffer.isBuffer(args.message.value)) this.partitionOf.set(args.message.value, partition);
      return partition;
    };
  }

  /** Replaces a producer whose send went unanswered (unless another caller replaced it already). */
  private async replace(stuck: Producer): Promise<void> {
    if (this.current !== stuck) return;
    this.current = this.create();
    void stuck.disconnect().catch(() => undefined);
    await withinDeadline(this.current.connect(), this.sendTimeoutMs);
  }

  /**
   * Sends all records (acks from all replicas) and resolves once the broker has them. Records go in requests
   * of at most MAX_REQUEST_BYTES, in order: keys that share a partition in the source topic share one here
   * too, so one request can otherwise exceed the broker's message size limit.
   */
  async send(records: OutgoingRecord[]): Promise<void> {
    let chunk: Array<{ topic: string; message: EncodedMessage }> = [];
    let bytes = 0;
    for (const record of records) {
      const value = await this.codec.encode(record.topic, record.value);
      const headers = tracedHeaders(record.headers);
      const message = { key: record.key, value, ...(headers ? { headers } : {}) };
      const size = value.length + Buffer.byteLength(record.key) + 64;
      if (chunk.length > 0 && bytes + size > MAX_REQUEST_BYTES) {
        await this.sendChunk(chunk);
        chunk = [];
        bytes = 0;
      }
      chunk.push({ topic: record.topic, message });
      bytes += size;
    }
    if (chunk.length > 0) await this.sendChunk(chunk);
  }

  private async sendChunk(chunk: Array<{ topic: string; message: EncodedMessage }>): Promise<void> {
    let pending = chunk;
    for (let attempt = 1; ; attempt++) {
      const written = await this.sendBatch(byTopicOf(pending));
      // kafkajs 2.2.4 can resolve a batch without writing some of it: when a retry finds a partition's leader
      // moved to a broker that already answered for other partitions in the same call (a broker died), that
      // partition's messages are never sent. Its answer lists every partition written; the rest go again.
      pending = pending.filter(({ topic, message }) => {
        const partition = this.partitionOf.get(message.value);
        return partition === undefined || !written.has(`${topic}:${partition}`);
      });
      if (pending.length === 0) return;
      if (attempt >= MAX_RESENDS)
        throw new Error(`Kafka acknowledged a batch without writing ${pending.length} of its messages`);
    }
  }

  /** One kafkajs sendBatch, bounded in time; the topic-partitions it wrote. */
  private async sendBatch(
    topicMessages: Array<{ topic: string; messages: EncodedMessage[] }>,
  ): Promise<Set<string>> {
    const producer = this.current;
    const sent = producer.sendBatch({ acks: -1, topicMessages });
    try {
      const written = await withinDeadline(sent, this.sendTimeoutMs);
      return new Set(written.map((record) => `${record.topicName}:${record.partition}`));
    } catch (error) {
      if (error instanceof KafkaUnavailableError) await this.replace(producer);
      throw error;
    }
  }
}

function byTopicOf(chunk: ReadonlyArray<{ topic: string; message: EncodedMessage }>) {
  const byTopic = new Map<string, EncodedMessage[]>();
  for (const { topic, message } of chunk) {
    const messages = byTopic.get(topic);
    if (messages) messages.push(message);
    else byTopic.set(topic, [message]);
  }
  return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
}
