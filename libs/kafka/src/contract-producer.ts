import type { Kafka, Producer } from 'kafkajs';
import type { SchemaCodec } from './schema-codec';

export interface OutgoingRecord {
  topic: string;
  key: string;
  value: object;
  headers?: Record<string, string>;
}

/** An idempotent producer that encodes values with the topic's registered schema. */
export class ContractProducer {
  readonly producer: Producer;

  constructor(
    kafka: Kafka,
    private readonly codec: SchemaCodec,
  ) {
    this.producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 5,
      allowAutoTopicCreation: false,
    });
  }

  async connect(): Promise<void> {
    await this.producer.connect();
  }

  async disconnect(): Promise<void> {
    await this.producer.disconnect();
  }

  /** Sends all records (acks from all replicas); resolves once the broker has them. */
  async send(records: OutgoingRecord[]): Promise<void> {
    if (records.length === 0) return;
    const byTopic = new Map<
      string,
      Array<{ key: string; value: Buffer; headers?: Record<string, string> }>
    >();
    for (const record of records) {
      const value = await this.codec.encode(record.topic, record.value);
      const messages = byTopic.get(record.topic) ?? [];
      messages.push({ key: record.key, value, ...(record.headers ? { headers: record.headers } : {}) });
      byTopic.set(record.topic, messages);
    }
    await this.producer.sendBatch({
      acks: -1,
      topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
    });
  }
}
