import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@cadence/config';
import { topicsFor } from '@cadence/contracts';
import { AccountDirectory, DecisionLedger, SequenceCatalog, UnitOfWork } from '@cadence/domain';
import { LOGGER, Readiness, type Logger } from '@cadence/observability';
import { createDataSource } from './data-source';
import { QueryLogger } from './query-logger';
import { AcceptedRequestsRepository } from './repositories/accepted-requests.repository';
import { AccountAuditRepository } from './repositories/account-audit.repository';
import { AccountsRepository } from './repositories/accounts.repository';
import { FunnelCountsRepository } from './repositories/funnel-counts.repository';
import { ApiKeysRepository } from './repositories/api-keys.repository';
import { BulkEnrollmentsRepository } from './repositories/bulk-enrollments.repository';
import { ConversationActivityRepository } from './repositories/conversation-activity.repository';
import { EnrollmentQueriesRepository } from './repositories/enrollment-queries.repository';
import { EnrollmentsRepository } from './repositories/enrollments.repository';
import { EventTracesRepository } from './repositories/event-traces.repository';
import { RetentionRepository } from './repositories/retention.repository';
import { PostgresUnitOfWork } from './postgres-unit-of-work';
import { OutboxRepository } from './repositories/outbox.repository';
import { SequencesRepository } from './repositories/sequences.repository';

const repositories = [
  AccountsRepository,
  SequencesRepository,
  EnrollmentsRepository,
  OutboxRepository,
  ApiKeysRepository,
  EnrollmentQueriesRepository,
  BulkEnrollmentsRepository,
  ConversationActivityRepository,
  AcceptedRequestsRepository,
  EventTracesRepository,
  RetentionRepository,
  AccountAuditRepository,
  FunnelCountsRepository,
];
/** The ports of the domain, answered by the repositories above. */
const ports = [
  { provide: AccountDirectory, useExisting: AccountsRepository },
  { provide: SequenceCatalog, useExisting: SequencesRepository },
  { provide: DecisionLedger, useExisting: EnrollmentsRepository },
  {
    provide: UnitOfWork,
    inject: [DataSource, APP_CONFIG],
    useFactory: (dataSource: DataSource, config: AppConfig) =>
      new PostgresUnitOfWork(dataSource, topicsFor(config.KAFKA_TOPIC_PREFIX).enrollmentLifecycle, {
        fastPath: config.STEP_RUNNER_FAST_PATH,
      }),
  },
];

/** The database for a process: one initialized DataSource and the repositories over it. */
@Global()
@Module({
  providers: [
    {
      provide: DataSource,
      inject: [APP_CONFIG, Readiness, LOGGER],
      useFactory: async (config: AppConfig, readiness: Readiness, logger: Logger) => {
        const dataSource = await createDataSource(
          config.DATABASE_URL,
          config.DATABASE_POOL_SIZE,
          new QueryLogger(logger.child({ component: 'typeorm' })),
        ).initialize();
        readiness.register('database', async () => {
          await dataSource.query('SELECT 1');
          return true;
        });
        return dataSource;
      },
    },
    ...repositories.map((repository) => ({
      provide: repository,
      inject: [DataSource],
      useFactory: (dataSource: DataSource) => new repository(dataSource),
    })),
    ...ports,
  ],
  exports: [DataSource, ...repositories, ...ports.map((port) => port.provide)],
})
export class PersistenceModule implements OnApplicationShutdown {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** Runs after the stream consumers stopped, so an in-flight batch can still finish its transaction. */
  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
