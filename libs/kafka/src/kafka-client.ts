import { Kafka, logLevel, type LogEntry } from 'kafkajs';
import type { AppConfig } from '@cadence/config';
import { conciseError, type Logger } from '@cadence/observability';
import { kafkaConnection } from './kafka-connection';

const levelNames: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/**
 * Broker answers that belong to a consumer group's normal life (a member joins or leaves, the coordinator
 * moves, a new topic elects its leaders): kafkajs logs each response as an error, then rejoins or retries.
 */
const ROUTINE_BROKER_ANSWERS = new Set([
  'The group is rebalancing, so a rejoin is needed',
  'The group coordinator is not available',
  'This is not the correct coordinator for this group',
  'There is no leader for this topic-partition as we are in the middle of a leadership election',
]);

/** The level a kafkajs log entry is written at: routine broker answers are information, not errors. */
export function kafkajsLevel(level: logLevel, error: unknown): 'error' | 'warn' | 'info' | 'debug' {
  if (level === logLevel.ERROR && typeof error === 'string' && ROUTINE_BROKER_ANSWERS.has(error))
    return 'info';
  return levelNames[level] ?? 'info';
}

export interface KafkaClientOptions {
  /** The least severe kafkajs entry passed to the logger (default WARN; NOTHING keeps the client quiet). */
  logLevel?: logLevel;
}

/**
 * A kafkajs client whose logs join the process's JSON log stream: the one way every client of the engine
 * (apps, scripts, tests, benches) is built.
 */
export function createKafka(
  config: AppConfig,
  logger: Logger,
  clientSuffix: string,
  options: KafkaClientOptions = {},
): Kafka {
  const kafkaLogger = logger.child({ component: 'kafkajs' });
  return new Kafka({
    clientId: `${config.KAFKA_CLIENT_ID}-${clientSuffix}`,
    ...kafkaConnection(config),
    logLevel: options.logLevel ?? logLevel.WARN,
    retry: { initialRetryTime: 200, retries: 8 },
    logCreator:
      () =>
      ({ level, log }: LogEntry) => {
        const { message, ...extra } = log;
        const chosen = kafkajsLevel(level, extra.error);
        // kafkajs passes the handler's error object itself; log what it says, not what it carries.
        if (extra.error instanceof Error) extra.error = conciseError(extra.error);
        kafkaLogger[chosen](extra, message);
      },
  });
}
