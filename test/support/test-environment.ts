import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { logLevel, type Admin, type Consumer, type Kafka } from 'kafkajs';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { loadConfig, type AppConfig } from '../../libs/config/src';
import {
  contactKey,
  toCommandRecord,
  topicsFor,
  type EnrollmentCommand,
  type Topics,
} from '../../libs/contracts/src';
import type { Clock } from '../../libs/domain/src';
import {
  ContractProducer,
  SchemaCodec,
  connectContractClients,
  createKafka,
  groupLag,
} from '../../libs/kafka/src';
import { createLogger } from '../../libs/observability/src';
import { QueryLogger, createDataSource } from '../../libs/persistence/src';
import { startProcess, type ProcessRole } from '../../libs/runtime/src';
import { TEMPLATE_DATABASE, withDatabase } from './database-url';
import { waitUntil, type WaitOptions } from './wait-until';

export interface CollectedMessage<T> {
  key: string | null;
  value: T;
  headers: Record<string, string>;
}

/** Collects every decoded message of a topic, for assertions. */
export class TopicCollector<T> {
  readonly messages: Array<CollectedMessage<T>> = [];
  /** Per partition, the offset after the last message read. */
  private readonly positions = new Map<number, bigint>();

  constructor(
    readonly topic: string,
    readonly consumer: Consumer,
    private readonly admin: () => Promise<Admin>,
  ) {}

  /** Called by the consumer for each message, in offset order per partition. */
  add(partition: number, offset: string, message: CollectedMessage<T>): void {
    this.messages.push(message);
    this.positions.set(partition, BigInt(offset) + 1n);
  }

  /** Waits until at least `count` messages were collected; returns all of them (the live array). */
  async waitFor(count: number, timeoutMs = 30_000): Promise<Array<CollectedMessage<T>>> {
    await waitUntil(
      `${count} messages on ${this.topic}`,
      () => this.messages.length,
      (collected) => collected >= count,
      { timeoutMs, intervalMs: 50 },
    );
    return this.messages;
  }

  /**
   * Barrier: waits until this collector has read everything the topic holds now (its end offsets at the
   * call), so that `messages` is the complete list of what was sent before; returns it.
   */
  async caughtUp(options: WaitOptions = {}): Promise<Array<CollectedMessage<T>>> {
    const admin = await this.admin();
    const ends = await admin.fetchTopicOffsets(this.topic);
    await waitUntil(
      `the collector of ${this.topic} to read up to its end offsets ${ends.map((e) => `${e.partition}:${e.high}`).join(' ')}`,
      () =>
        ends
          .map((end) => ({
            partition: end.partition,
            read: this.positions.get(end.partition) ?? BigInt(end.low),
            end: BigInt(end.high),
          }))
          .filter(({ read, end }) => read < end)
          .map(({ partition, read, end }) => `partition ${partition} read to ${read} of ${end}`),
      (behind) => behind.length === 0,
      { intervalMs: 50, ...options },
    );
    return this.messages;
  }
}

/**
 * One isolated world per test file on the shared real infrastructure: its own database (cloned from the
 * migrated template), its own topic prefix and consumer groups, and helpers to run app roles in-process.
 */
export class TestEnvironment {
  readonly apps: INestApplication[] = [];
  private readonly consumers: Consumer[] = [];
  private connectedAdmin: Promise<Admin> | undefined;

  private constructor(
    readonly config: AppConfig,
    /** The settings behind `config`, as environment variables (for roles run as child processes). */
    readonly settings: Record<string, string>,
    readonly topics: Topics,
    readonly db: DataSource,
    readonly kafka: Kafka,
    readonly codec: SchemaCodec,
    readonly producer: ContractProducer,
    private readonly databaseName: string,
  ) {}

  static async create(overrides: Record<string, string> = {}): Promise<TestEnvironment> {
    const suffix = randomUUID().slice(0, 8);
    const databaseName = `cadence_t_${suffix}`;
    const base = loadConfig();
    await cloneTemplate(base.DATABASE_URL, databaseName);
    const settings: Record<string, string> = {
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'error',
      HTTP_PORT: '0',
      DATABASE_URL: withDatabase(base.DATABASE_URL, databaseName),
      KAFKA_TOPIC_PREFIX: `t${suffix}.`,
      CONSUMER_GROUP_PREFIX: `t${suffix}.`,
      KAFKA_ENROLLMENT_COMMAND_PARTITIONS: '12',
      KAFKA_DEFAULT_PARTITIONS: '3',
      STEP_RUNNER_POLL_MS: '100',
      // An hour: tests see sequence changes through Postgres notifications, not through the backstop reload.
      SEQUENCES_RELOAD_MS: '3600000',
      ...overrides,
    };
    const config = loadConfig(settings);
    const topics = topicsFor(config.KAFKA_TOPIC_PREFIX);
    const logger = createLogger('test', config.LOG_LEVEL);
    // The apps' Kafka client; the tests' own stays quiet (a test that stops brokers expects their errors).
    const kafka = createKafka(config, logger, `test-${suffix}`, { logLevel: logLevel.NOTHING });
    const { codec, producer } = await connectContractClients(config, kafka);
    // The tests' own queries log like the apps' (JSON, at TEST_LOG_LEVEL): a test that provokes a database
    // error on purpose does not print it as a stack trace.
    const db = await createDataSource(
      config.DATABASE_URL,
      4,
      new QueryLogger(logger.child({ component: 'typeorm' })),
    ).initialize();
    return new TestEnvironment(config, settings, topics, db, kafka, codec, producer, databaseName);
  }

  async start(
    role: ProcessRole,
    options: { clock?: Clock; config?: Record<string, string> } = {},
  ): Promise<INestApplication> {
    const config = options.config ? { ...this.config, ...loadConfigOverrides(options.config) } : this.config;
    const app = await startProcess(role, {
      config,
      logger: createLogger(role.name, this.config.LOG_LEVEL),
      ...(options.clock ? { clock: options.clock } : {}),
    });
    this.apps.push(app);
    return app;
  }

  /** Enrollment commands onto the enrollment-commands topic, keyed by contact as every producer does. */
  async sendCommands(commands: readonly EnrollmentCommand[]): Promise<void> {
    await this.producer.send(
      commands.map((command) => ({
        topic: this.topics.enrollmentCommands,
        key: contactKey(command.accountId, command.contactId),
        value: toCommandRecord(command),
      })),
    );
  }

  /**
   * Barrier: waits until every consumer group of these roles has committed everything its topics hold, role
   * after role (give a pipeline's stages in order: the router, then the enrollment app). A group commits a
   * batch only once its handler is done, so what the messages caused is in the database or on the topics.
   */
  async drained(roles: readonly ProcessRole[], options: WaitOptions = {}): Promise<void> {
    const admin = await this.admin();
    for (const role of roles) {
      for (const stream of role.streams ?? []) {
        const group = `${this.config.CONSUMER_GROUP_PREFIX}${stream.group}`;
        const topics = stream.topics(this.topics);
        await waitUntil(
          `consumer group ${group} to commit everything on ${topics.join(', ')} (its lag)`,
          () => groupLag(admin, group, topics),
          (lag) => lag === 0,
          { timeoutMs: 60_000, intervalMs: 200, ...options },
        );
      }
    }
  }

  /** A connected admin client of this environment (disconnected by close). */
  admin(): Promise<Admin> {
    this.connectedAdmin ??= (async () => {
      const admin = this.kafka.admin();
      await admin.connect();
      return admin;
    })();
    return this.connectedAdmin;
  }

  async collect<T>(topic: string): Promise<TopicCollector<T>> {
    const consumer = this.kafka.consumer({
      groupId: `${this.config.CONSUMER_GROUP_PREFIX}collector-${randomUUID()}`,
    });
    const collector = new TopicCollector<T>(topic, consumer, () => this.admin());
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        const headers = Object.fromEntries(
          Object.entries(message.headers ?? {}).map(([name, value]) => [name, String(value)]),
        );
        let value: T;
        try {
          value = await this.codec.decode<T>(message.value);
        } catch {
          value = message.value as unknown as T;
        }
        collector.add(partition, message.offset, { key: message.key?.toString() ?? null, value, headers });
      },
    });
    this.consumers.push(consumer);
    return collector;
  }

  async close(): Promise<void> {
    await Promise.all(this.apps.splice(0).map((app) => app.close()));
    await Promise.all(this.consumers.splice(0).map((consumer) => consumer.disconnect()));
    const admin = this.connectedAdmin;
    this.connectedAdmin = undefined;
    if (admin) await (await admin).disconnect();
    await this.producer.disconnect();
    await this.db.destroy();
    await dropDatabase(this.config.DATABASE_URL, this.databaseName);
  }
}

function loadConfigOverrides(values: Record<string, string>): Partial<AppConfig> {
  const parsed = loadConfig(values);
  return Object.fromEntries(Object.keys(values).map((key) => [key, parsed[key as keyof AppConfig]]));
}

async function adminClient(databaseUrl: string): Promise<Client> {
  const client = new Client({ connectionString: withDatabase(databaseUrl, 'postgres') });
  await client.connect();
  return client;
}

async function cloneTemplate(databaseUrl: string, name: string): Promise<void> {
  const client = await adminClient(databaseUrl);
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        await client.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DATABASE}`);
        return;
      } catch (error) {
        // Two files cloning the template at the same instant: the second waits and retries.
        if (attempt >= 20 || !String(error).includes('being accessed by other users')) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
      }
    }
  } finally {
    await client.end();
  }
}

async function dropDatabase(databaseUrl: string, name: string): Promise<void> {
  const client = await adminClient(databaseUrl);
  try {
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
