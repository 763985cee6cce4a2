import { Kafka, logLevel, type LogEntry } from 'kafkajs';
import type { AppConfig } from '@cadence/config';
import { conciseError, type Logger } from '@cadence/observability';

const levelNames: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/** A kafkajs client whose logs join the process's JSON log stream. */
export function createKafka(config: AppConfig, logger: Logger, clientSuffix: string): Kafka {
  const kafkaLogger = logger.child({ component: 'kafkajs' });
  return new Kafka({
    clientId: `${config.KAFKA_CLIENT_ID}-${clientSuffix}`,
    brokers: config.KAFKA_BROKERS,
    logLevel: logLevel.WARN,
    retry: { initialRetryTime: 200, retries: 8 },
    logCreator:
      () =>
      ({ level, log }: LogEntry) => {
        const { message, ...extra } = log;
        // kafkajs passes the handler's error object itself; log what it says, not what it carries.
        if (extra.error instanceof Error) extra.error = conciseError(extra.error);
        kafkaLogger[levelNames[level] ?? 'info'](extra, message);
      },
  });
}
