import type { Kafka } from 'kafkajs';
import type { AppConfig } from '@cadence/config';
import { topicsFor } from '@cadence/contracts';
import { ContractProducer } from './contract-producer';
import { SchemaCodec } from './schema-codec';
import { ensureTopics } from './topic-bootstrap';

/**
 * For scripts, tests and benches (the apps get theirs from KafkaModule): the configured topics as planned,
 * every schema registered, and a connected producer.
 */
export async function connectContractClients(
  config: AppConfig,
  kafka: Kafka,
): Promise<{ codec: SchemaCodec; producer: ContractProducer }> {
  const topics = topicsFor(config.KAFKA_TOPIC_PREFIX);
  const admin = kafka.admin();
  await admin.connect();
  try {
    await ensureTopics(admin, config, topics);
  } finally {
    await admin.disconnect();
  }
  const codec = SchemaCodec.fromConfig(config);
  await codec.registerAll(topics);
  const producer = new ContractProducer(kafka, codec);
  await producer.connect();
  return { codec, producer };
}
