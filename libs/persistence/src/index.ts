export { createDataSource, MIGRATIONS } from './data-source';
export { isPermanentDataError } from './database-errors';
export { ensureDatabase } from './ensure-database';
export { bulkInsert, type Column } from './bulk-insert';
export { AccountsRepository } from './repositories/accounts.repository';
export { SequencesRepository } from './repositories/sequences.repository';
export { EnrollmentsRepository, isLiveEnrollmentConflict } from './repositories/enrollments.repository';
export { HistoryRepository } from './repositories/history.repository';
export { PostgresUnitOfWork } from './postgres-unit-of-work';
export { OutboxRepository, type OutboxRecord } from './repositories/outbox.repository';
export { DueStepsRepository } from './repositories/due-steps.repository';
export { EnrollmentTransitionsRepository } from './repositories/enrollment-transitions.repository';
export {
  ApiKeysRepository,
  hashApiKey,
  API_KEY_PREFIX_LENGTH,
  type AuthenticatedKey,
  type IssuedApiKey,
} from './repositories/api-keys.repository';
export { AccountAuditRepository } from './repositories/account-audit.repository';
export { FunnelCountsRepository, FUNNEL_SHARDS } from './repositories/funnel-counts.repository';
export { EnrollmentQueriesRepository } from './repositories/enrollment-queries.repository';
export { BulkEnrollmentsRepository } from './repositories/bulk-enrollments.repository';
export { ConversationActivityRepository } from './repositories/conversation-activity.repository';
export { PersistenceModule } from './persistence.module';
export { AdvisoryLease } from './advisory-lease';
export {
  ChangeNotifications,
  SEQUENCES_CHANGED_CHANNEL,
  STEPS_DUE_CHANNEL,
  type ChangeNotificationsOptions,
} from './change-notifications';
export { QueryLogger } from './query-logger';
export {
  assessDatabaseSettings,
  readDatabaseSettings,
  expectedMigrationCount,
  type DatabaseAssessment,
  type DatabaseSettings,
} from './database-settings';
export { AcceptedRequestsRepository } from './repositories/accepted-requests.repository';
export { EventTracesRepository } from './repositories/event-traces.repository';
export { RetentionRepository } from './repositories/retention.repository';
