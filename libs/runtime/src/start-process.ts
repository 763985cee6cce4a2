import { Module, type DynamicModule, type INestApplication, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigModule, type AppConfig } from '@cadence/config';
import type { Clock } from '@cadence/domain';
import { Kafka } from 'kafkajs';
import type { Topics } from '@cadence/contracts';
import {
  BatchConsumer,
  ConsumerMetrics,
  ContractProducer,
  FatalErrors,
  KafkaModule,
  KafkaStreamTransport,
  SchemaCodec,
  TOPICS,
  type StreamHandler,
} from '@cadence/kafka';
import {
  createLogger,
  ObservabilityModule,
  PinoNestLogger,
  Readiness,
  type Logger,
} from '@cadence/observability';
import { isPermanentDataError, PersistenceModule } from '@cadence/persistence';
import { ClockModule } from './clock.module';
import { LifecycleLog } from './lifecycle-log';

/** A long-running loop of a role (a Kafka stream consumer or a poller), started and stopped with the process. */
export interface RoleWorker {
  start(): Promise<void>;
  stop(): Promise<void>;
  isReady(): boolean;
}

/** A Kafka subscription of a role: its handler (a provider of the role's module), group and topics. */
export interface StreamSubscription {
  handler: Type<StreamHandler<unknown>>;
  /** Consumer group, after CONSUMER_GROUP_PREFIX. */
  group: string;
  topics: (topics: Topics) => string[];
}

/** One process role: its root module, its Kafka subscriptions, and other workers (pollers) it runs. */
export interface ProcessRole {
  name: string;
  module: Type<unknown>;
  streams?: StreamSubscription[];
  workers?: Array<Type<RoleWorker>>;
  /** Extra setup on the HTTP app (the api's validation, OpenAPI). */
  configureHttp?: (app: INestApplication) => void;
}

export interface StartOptions {
  config: AppConfig;
  logger?: Logger;
  clock?: Clock;
  /** Production processes exit on SIGTERM/SIGINT through Nest's shutdown hooks; tests call close(). */
  handleSignals?: boolean;
}

@Module({ providers: [LifecycleLog] })
class ProcessRootModule {}

/**
 * Boots one role as a process: config, JSON logs, clock, Kafka, Postgres, /health, and the role's workers
 * inside the Kafka stream transport. Shutdown order: HTTP and workers first (the in-flight batch finishes
 * and commits), then the producer and the database.
 */
export async function startProcess(role: ProcessRole, options: StartOptions): Promise<INestApplication> {
  const logger = options.logger ?? createLogger(role.name, options.config.LOG_LEVEL);
  const root: DynamicModule = {
    module: ProcessRootModule,
    imports: [
      ConfigModule.forRoot(options.config),
      ObservabilityModule.forRoot(logger),
      ClockModule.forRoot(options.clock),
      KafkaModule,
      PersistenceModule,
      role.module,
    ],
  };
  const app = await NestFactory.create(root, { logger: new PinoNestLogger(logger), abortOnError: false });
  role.configureHttp?.(app);
  const readiness = app.get(Readiness);
  const workers: RoleWorker[] = [
    ...(role.streams ?? []).map((stream) => streamConsumer(app, stream, options.config, logger)),
    ...(role.workers ?? []).map((type) => app.get(type)),
  ];
  workers.forEach((worker, index) => readiness.register(`worker-${index}`, () => worker.isReady()));
  app.connectMicroservice({ strategy: new KafkaStreamTransport(workers) });
  // Init first (onModuleInit/onApplicationBootstrap: the trigger index loads, relays start): in a hybrid app
  // Nest would otherwise start the microservice, and with it the consumers, before running those hooks.
  await app.init();
  await app.startAllMicroservices();
  await app.listen(options.config.HTTP_PORT, '127.0.0.1');
  logger.info({ port: options.config.HTTP_PORT }, `${role.name} started`);
  if (options.handleSignals) {
    exitGracefullyOnSignals(app, logger, options.config.SHUTDOWN_TIMEOUT_MS);
    app.get(FatalErrors).onFatal((error, source) => {
      logger.fatal(
        { error: String(error), source },
        'unrecoverable error; exiting so that the process is restarted',
      );
      process.exit(1);
    });
  }
  return app;
}

function streamConsumer(
  app: INestApplication,
  stream: StreamSubscription,
  config: AppConfig,
  logger: Logger,
): RoleWorker {
  const handler = app.get<StreamHandler<unknown>>(stream.handler);
  return new BatchConsumer(app.get(Kafka), app.get(SchemaCodec), app.get(ContractProducer).producer, logger, {
    groupId: `${config.CONSUMER_GROUP_PREFIX}${stream.group}`,
    topics: stream.topics(app.get<Topics>(TOPICS)),
    handler,
    partitionsConsumedConcurrently: config.CONSUMER_PARTITIONS_CONCURRENTLY,
    fatalErrors: app.get(FatalErrors),
    metrics: app.get(ConsumerMetrics),
    isPermanentError: isPermanentDataError,
  });
}

/**
 * SIGTERM/SIGINT: close the app (workers finish their in-flight batch, then producer and database close)
 * and exit 0; if closing takes longer than the timeout, exit 1 (uncommitted work is redelivered).
 */
function exitGracefullyOnSignals(app: INestApplication, logger: Logger, timeoutMs: number): void {
  const onSignal = (signal: NodeJS.Signals) => {
    logger.info({ signal }, 'signal received');
    const timer = setTimeout(() => {
      logger.error({ timeoutMs }, 'shutdown timed out; exiting without finishing');
      process.exit(1);
    }, timeoutMs);
    timer.unref();
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ error: String(error) }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
}
