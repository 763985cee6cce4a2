export { createDataSource, MIGRATIONS } from './data-source';
export { isPermanentDataError } from './database-errors';
export { ensureDatabase } from './ensure-database';
export { bulkInsert, type Column } from './bulk-insert';
export { AccountsRepository, type Account, type NewAccount } from './repositories/accounts.repository';
export { SequencesRepository, type SequenceRecord } from './repositories/sequences.repository';
export {
  EnrollmentsRepository,
  isLiveEnrollmentConflict,
  liveKeyString,
  type LiveKey,
  type NewEnrollment,
  type DecisionRecord,
  type DecidedRequest,
  type HistoryRecord,
} from './repositories/enrollments.repository';
export { OutboxRepository, type OutboxRecord } from './repositories/outbox.repository';
export { DueStepsRepository, type DueStep, type StepAdvanceRow } from './repositories/due-steps.repository';
export {
  EnrollmentTransitionsRepository,
  type LockedEnrollment,
  type TransitionRow,
} from './repositories/enrollment-transitions.repository';
export { ApiKeysRepository, hashApiKey, type IssuedApiKey } from './repositories/api-keys.repository';
export {
  EnrollmentQueriesRepository,
  type EnrollmentView,
  type HistoryView,
  type DecisionView,
  type EnrollmentFilter,
} from './repositories/enrollment-queries.repository';
export {
  BulkEnrollmentsRepository,
  type BulkEnrollmentRecord,
} from './repositories/bulk-enrollments.repository';
export {
  ConversationActivityRepository,
  type ActivityUpdate,
  type IdleConversation,
  type ConversationKey,
  type TrackedConversation,
  type TimeRange,
} from './repositories/conversation-activity.repository';
export { PersistenceModule } from './persistence.module';
export { AdvisoryLease } from './advisory-lease';
export { ActiveSequences, SEQUENCES_CHANGED_CHANNEL, type ActiveSequencesSnapshot } from './active-sequences';
export { ChangeNotifications, type ChangeNotificationsOptions } from './change-notifications';
export { QueryLogger } from './query-logger';
export {
  assessDatabaseSettings,
  readDatabaseSettings,
  expectedMigrationCount,
  type DatabaseAssessment,
  type DatabaseSettings,
} from './database-settings';
