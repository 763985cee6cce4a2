import type { Logger as TypeOrmLogger } from 'typeorm';
import { conciseError, type Logger } from '@cadence/observability';

/**
 * TypeORM's messages in the process's JSON log. A failed query is logged with its statement (cut short) and
 * the number of parameters, not their values: a batched statement carries thousands of them.
 */
export class QueryLogger implements TypeOrmLogger {
  constructor(private readonly logger: Logger) {}

  logQuery(): void {}

  logQueryError(error: string | Error, query: string, parameters?: unknown[]): void {
    this.logger.warn(
      { error: conciseError(error), query: query.slice(0, 300), parameters: parameters?.length ?? 0 },
      'query failed',
    );
  }

  logQuerySlow(time: number, query: string): void {
    this.logger.warn({ ms: time, query: query.slice(0, 300) }, 'slow query');
  }

  logSchemaBuild(message: string): void {
    this.logger.info(message);
  }

  logMigration(message: string): void {
    this.logger.info(message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') this.logger.warn(String(message));
    else this.logger.info(String(message));
  }
}
