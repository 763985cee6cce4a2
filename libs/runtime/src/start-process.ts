import { Module, type DynamicModule, type INestApplication, type Type } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { NestFactory } from '@nestjs/core';
import { ConfigModule, secretValues, type AppConfig } from '@cadence/config';
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
  type ComponentStatus,
  type Logger,
  type Tracing,
} from '@cadence/observability';
import { isPermanentDataError, PersistenceModule } from '@cadence/persistence';
import type { Server } from 'node:http';
import { ClockModule } from './clock.module';
import { preflight, type PreflightReport } from './preflight';
import { waitForDependencies } from './waiting-room';
import { LifecycleLog } from './lifecycle-log';

/** A long-running loop of a role (a Kafka stream consumer or a poller), started and stopped with the process. */
export interface RoleWorker {
  /** Its readiness component's name (a consumer: `consumer:<group>`). */
  readonly name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Ready or not, and why not (a consumer: not a member of its group, crashed...). */
  status(): ComponentStatus;
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
  configureHttp?: (app: NestExpressApplication) => void;
}

export interface StartOptions {
  config: AppConfig;
  logger?: Logger;
  clock?: Clock;
  /**
   * Production processes exit on SIGTERM/SIGINT through Nest's shutdown hooks, and wait for missing
   * dependencies (answering /health meanwhile) instead of exiting; in-process tests call close(), and a
   * missing dependency fails their start at once.
   */
  handleSignals?: boolean;
  /** Flushed once the app closed on a signal, so the last spans are exported. */
  tracing?: Tracing;
}

@Module({ providers: [LifecycleLog] })
class ProcessRootModule {}

/**
 * Boots one role as a process: config, JSON logs, clock, Kafka, Postgres, /health, and the role's workers
 * inside the Kafka stream transport. Shutdown order: HTTP and workers first (the in-flight batch finishes
 * and commits), then the producer and the database.
 */
export async function startProcess(role: ProcessRole, options: StartOptions): Promise<INestApplication> {
  const { config } = options;
  const logger = options.logger ?? createLogger(role.name, config.LOG_LEVEL, secretValues(config));
  const groups = (role.streams ?? []).map((stream) => `${config.CONSUMER_GROUP_PREFIX}${stream.group}`);
  const checked = await checkDependencies(role, options, logger, groups);
  if (!checked) process.exit(0); // stopped by a signal while waiting
  for (const warning of checked.warnings) logger.warn({ warning }, 'setting below what the engine relies on');
  const root: DynamicModule = {
    module: ProcessRootModule,
    imports: [
      ConfigModule.forRoot(config),
      ObservabilityModule.forRoot(logger, config.READINESS_TIMEOUT_MS),
      ClockModule.forRoot(options.clock),
      KafkaModule,
      PersistenceModule,
      role.module,
    ],
  };
  const app = await NestFactory.create<NestExpressApplication>(root, {
    logger: new PinoNestLogger(logger),
    abortOnError: false,
  });
  role.configureHttp?.(app);
  const readiness = app.get(Readiness);
  const workers: RoleWorker[] = [
    ...(role.streams ?? []).map((stream) => streamConsumer(app, stream, config, logger)),
    ...(role.workers ?? []).map((type) => app.get(type)),
  ];
  workers.forEach((worker) => readiness.register(worker.name, () => worker.status()));
  app.connectMicroservice({ strategy: new KafkaStreamTransport(workers) });
  // Init first (onModuleInit/onApplicationBootstrap: the trigger index loads, relays start): in a hybrid app
  // Nest would otherwise start the microservice, and with it the consumers, before running those hooks.
  await app.init();
  await app.startAllMicroservices();
  await app.listen(config.HTTP_PORT, config.HTTP_HOST);
  logger.info({ host: config.HTTP_HOST, port: listeningPort(app) }, `${role.name} started`);
  if (options.handleSignals) {
    exitGracefullyOnSignals(app, logger, config.SHUTDOWN_TIMEOUT_MS, options.tracing);
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

/** The dependencies' answers before boot: waited for in production, required at once in-process. */
async function checkDependencies(
  role: ProcessRole,
  options: StartOptions,
  logger: Logger,
  groups: string[],
): Promise<PreflightReport | undefined> {
  if (!options.handleSignals) {
    const report = await preflight(options.config, logger, groups);
    if (!report.ready)
      throw new Error(`${role.name}: dependencies not ready: ${JSON.stringify(report.components)}`);
    return report;
  }
  let stopping = false;
  const stop = () => {
    stopping = true;
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  try {
    return await waitForDependencies(options.config, logger, groups, () => stopping);
  } finally {
    process.off('SIGTERM', stop);
    process.off('SIGINT', stop);
  }
}

function listeningPort(app: INestApplication): number | undefined {
  const address = (app.getHttpServer() as Server).address();
  return typeof address === 'object' && address ? address.port : undefined;
}

function streamConsumer(
  app: INestApplication,
  stream: StreamSubscription,
  config: AppConfig,
  logger: Logger,
): RoleWorker {
  const handler = app.get<StreamHandler<unknown>>(stream.handler);
  return new BatchConsumer(app.get(Kafka), app.get(SchemaCodec), app.get(ContractProducer), logger, {
    groupId: `${config.CONSUMER_GROUP_PREFIX}${stream.group}`,
    topics: stream.topics(app.get<Topics>(TOPICS)),
    handler,
    partitionsConsumedConcurrently: config.CONSUMER_PARTITIONS_CONCURRENTLY,
    fatalErrors: app.get(FatalErrors),
    metrics: app.get(ConsumerMetrics),
    isPermanentError: isPermanentDataError,
    sessionTimeoutMs: config.CONSUMER_SESSION_TIMEOUT_MS,
  });
}

/**
 * SIGTERM/SIGINT: close the app (workers finish their in-flight batch, then producer and database close)
 * and exit 0; if closing takes longer than the timeout, exit 1 (uncommitted work is redelivered).
 */
function exitGracefullyOnSignals(
  app: INestApplication,
  logger: Logger,
  timeoutMs: number,
  tracing: Tracing | undefined,
): void {
  const onSignal = (signal: NodeJS.Signals) => {
    logger.info({ signal }, 'signal received');
    const timer = setTimeout(() => {
      logger.error({ timeoutMs }, 'shutdown timed out; exiting without finishing');
      process.exit(1);
    }, timeoutMs);
    timer.unref();
    app
      .close()
      .then(() => tracing?.shutdown())
      .then(
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
