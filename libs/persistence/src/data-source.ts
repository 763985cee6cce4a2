import { DataSource, type Logger } from 'typeorm';
import { InitialSchema1764000000000 } from './migrations/1764000000000-initial-schema';
import { BulkRequests1764000100000 } from './migrations/1764000100000-bulk-requests';
import { LeanEnrollmentWrites1764000200000 } from './migrations/1764000200000-lean-enrollment-writes';
import { ConversationActivity1764000300000 } from './migrations/1764000300000-conversation-activity';
import { SequenceChangeNotifications1764000400000 } from './migrations/1764000400000-sequence-change-notifications';
import { EveryRequestAnswered1764000500000 } from './migrations/1764000500000-every-request-answered';
import { ParkedSteps1764000600000 } from './migrations/1764000600000-parked-steps';
import { IdempotencyKeys1764000800000 } from './migrations/1764000800000-idempotency-keys';
import { Retention1764000900000 } from './migrations/1764000900000-retention';
import { TraceContext1764001000000 } from './migrations/1764001000000-trace-context';
import { RecentMessages1764000700000 } from './migrations/1764000700000-recent-messages';
import { OperatorConsole1764001100000 } from './migrations/1764001100000-operator-console';
import { ReplayStartedAudit1764001200000 } from './migrations/1764001200000-replay-started-audit';

export const MIGRATIONS = [
  InitialSchema1764000000000,
  BulkRequests1764000100000,
  LeanEnrollmentWrites1764000200000,
  ConversationActivity1764000300000,
  SequenceChangeNotifications1764000400000,
  EveryRequestAnswered1764000500000,
  ParkedSteps1764000600000,
  RecentMessages1764000700000,
  IdempotencyKeys1764000800000,
  Retention1764000900000,
  TraceContext1764001000000,
  OperatorConsole1764001100000,
  ReplayStartedAudit1764001200000,
];

/**
 * Planner settings for every session. The hot tables are cached or on SSD, so a random page costs about what a
 * sequential one does; with the default 4.0 the planner answers a batch of a few thousand key lookups by
 * hashing the whole table, a cost that grows with the table. JIT compilation only adds latency to the short
 * batched statements this system runs.
 */
const SESSION_OPTIONS = '-c random_page_cost=1.1 -c jit=off';

/**
 * The one TypeORM data source definition, shared by the apps, the tests and the migration CLI. The apps pass
 * a logger (`QueryLogger`) so that TypeORM's messages join their JSON log; without one, failed queries go to
 * the console.
 */
export function createDataSource(databaseUrl: string, poolSize = 10, logger?: Logger): DataSource {
  return new DataSource({
    type: 'postgres',
    url: databaseUrl,
    migrations: MIGRATIONS,
    migrationsTableName: 'typeorm_migrations',
    synchronize: false,
    migrationsRun: false,
    logging: ['error'],
    ...(logger ? { logger, maxQueryExecutionTime: 5_000 } : {}),
    extra: { max: poolSize, options: SESSION_OPTIONS },
  });
}
