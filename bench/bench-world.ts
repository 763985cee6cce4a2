import { randomUUID } from 'node:crypto';
import { logLevel, type Kafka } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { loadConfig, type AppConfig } from '@cadence/config';
import { topicsFor, type Topics } from '@cadence/contracts';
import { ContractProducer, SchemaCodec, connectContractClients, createKafka } from '@cadence/kafka';
import { createLogger } from '@cadence/observability';
import { createDataSource, ensureDatabase } from '@cadence/persistence';

/** A throwaway world for one benchmark run: its own database (migrated) and topic prefix. */
export interface BenchWorld {
  config: AppConfig;
  topics: Topics;
  db: DataSource;
  kafka: Kafka;
  codec: SchemaCodec;
  producer: ContractProducer;
  close(): Promise<void>;
}

export async function createBenchWorld(
  name: string,
  overrides: Record<string, string> = {},
): Promise<BenchWorld> {
  const suffix = randomUUID().slice(0, 8);
  const base = loadConfig();
  const url = new URL(base.DATABASE_URL);
  url.pathname = `/cadence_bench_${name}_${suffix}`;
  const config = loadConfig({
    LOG_LEVEL: 'error',
    HTTP_PORT: '0',
    DATABASE_URL: url.toString(),
    DATABASE_POOL_SIZE: '10',
    KAFKA_TOPIC_PREFIX: `bench${suffix}.`,
    CONSUMER_GROUP_PREFIX: `bench${suffix}.`,
    ...overrides,
  });
  await ensureDatabase(config.DATABASE_URL);
  const db = await createDataSource(config.DATABASE_URL, 4).initialize();
  await db.runMigrations();
  const topics = topicsFor(config.KAFKA_TOPIC_PREFIX);
  const kafka = createKafka(config, createLogger('bench', config.LOG_LEVEL), `bench-${suffix}`, {
    logLevel: logLevel.NOTHING,
  });
  const { codec, producer } = await connectContractClients(config, kafka);
  return {
    config,
    topics,
    db,
    kafka,
    codec,
    producer,
    close: async () => {
      await producer.disconnect();
      await db.destroy();
      const adminUrl = new URL(config.DATABASE_URL);
      const dbName = adminUrl.pathname.slice(1);
      adminUrl.pathname = '/postgres';
      const adminDb = await createDataSource(adminUrl.toString(), 1).initialize();
      await adminDb.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      await adminDb.destroy();
      const topicAdmin = kafka.admin();
      await topicAdmin.connect();
      const mine = (await topicAdmin.listTopics()).filter((topic) =>
        topic.startsWith(config.KAFKA_TOPIC_PREFIX),
      );
      await topicAdmin.deleteTopics({ topics: mine });
      await topicAdmin.disconnect();
    },
  };
}

export const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

export const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};

export async function waitFor(probe: () => Promise<boolean>, timeoutMs: number, pollMs = 100): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`benchmark condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
