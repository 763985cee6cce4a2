import { DataSource } from 'typeorm';
import { InitialSchema1764000000000 } from './migrations/1764000000000-initial-schema';
import { BulkRequests1764000100000 } from './migrations/1764000100000-bulk-requests';
import { LeanEnrollmentWrites1764000200000 } from './migrations/1764000200000-lean-enrollment-writes';
import { ConversationActivity1764000300000 } from './migrations/1764000300000-conversation-activity';

export const MIGRATIONS = [
  InitialSchema1764000000000,
  BulkRequests1764000100000,
  LeanEnrollmentWrites1764000200000,
  ConversationActivity1764000300000,
];

/** The one TypeORM data source definition, shared by the apps, the tests and the migration CLI. */
export function createDataSource(databaseUrl: string, poolSize = 10): DataSource {
  return new DataSource({
    type: 'postgres',
    url: databaseUrl,
    migrations: MIGRATIONS,
    migrationsTableName: 'typeorm_migrations',
    synchronize: false,
    migrationsRun: false,
    logging: ['error'],
    extra: { max: poolSize },
  });
}
