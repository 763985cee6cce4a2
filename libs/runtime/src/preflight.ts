import type { AppConfig } from '@cadence/config';
import { topicsFor } from '@cadence/contracts';
import { applyTopicPlan, createKafka, describeKafkaFailure, SchemaCodec } from '@cadence/kafka';
import type { ComponentStatus, Logger } from '@cadence/observability';
import {
  assessDatabaseSettings,
  createDataSource,
  expectedMigrationCount,
  readDatabaseSettings,
} from '@cadence/persistence';

export interface PreflightReport {
  ready: boolean;
  components: { database: ComponentStatus; kafka: ComponentStatus; 'schema-registry': ComponentStatus };
  /** Said once at boot, with the remedy: the engine runs, but something it relies on is below par. */
  warnings: string[];
}

const failed = (detail: string): ComponentStatus => ({ ok: false, detail });
const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Before a role boots, asks each dependency what the role needs from it: the database (reachable, migrated,
 * autovacuum on), Kafka (credentials, TLS, the topic plan, the consumer groups' ACLs) and the schema registry
 * (reachable, credentials). Each failure is one sentence naming its cause; secrets never appear in it.
 */
export async function preflight(
  config: AppConfig,
  logger: Logger,
  groups: readonly string[],
): Promise<PreflightReport> {
  const [database, kafka, registry] = await Promise.all([
    checkDatabase(config),
    checkKafka(config, logger, groups),
    checkRegistry(config),
  ]);
  const components = { database: database.status, kafka: kafka.status, 'schema-registry': registry };
  return {
    ready: Object.values(components).every((status) => status.ok),
    components,
    warnings: [...database.warnings, ...kafka.warnings],
  };
}

async function checkDatabase(config: AppConfig): Promise<{ status: ComponentStatus; warnings: string[] }> {
  const dataSource = createDataSource(config.DATABASE_URL, 1);
  try {
    await dataSource.initialize();
    const assessment = assessDatabaseSettings(
      await readDatabaseSettings(dataSource),
      expectedMigrationCount(),
    );
    const status = assessment.errors.length > 0 ? failed(assessment.errors.join('; ')) : { ok: true };
    return { status, warnings: assessment.warnings };
  } catch (error) {
    return { status: failed(`database: ${describe(error)}`), warnings: [] };
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
  }
}

async function checkKafka(
  config: AppConfig,
  logger: Logger,
  groups: readonly string[],
): Promise<{ status: ComponentStatus; warnings: string[] }> {
  const admin = createKafka(config, logger, `preflight-${process.pid}`).admin({ retry: { retries: 2 } });
  try {
    await admin.connect();
    const outcome = await applyTopicPlan(admin, config, topicsFor(config.KAFKA_TOPIC_PREFIX));
    if (outcome.created.length > 0) logger.info({ created: outcome.created }, 'topics created as planned');
    const errors = outcome.findings.filter((finding) => finding.severity === 'error');
    const warnings = outcome.findings
      .filter((finding) => finding.severity === 'warning')
      .map((finding) => `topic ${finding.topic}: ${finding.message}`);
    if (errors.length > 0)
      return {
        status: failed(`topics: ${errors.map((e) => `${e.topic}: ${e.message}`).join('; ')}`),
        warnings,
      };
    // The consumer groups' ACLs: asking for a group's coordinator needs the group's Describe permission.
    if (groups.length > 0) await admin.describeGroups([...groups]);
    return { status: { ok: true }, warnings };
  } catch (error) {
    return { status: failed(describeKafkaFailure(error, config)), warnings: [] };
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

async function checkRegistry(config: AppConfig): Promise<ComponentStatus> {
  try {
    await SchemaCodec.fromConfig(config).ping(config.READINESS_TIMEOUT_MS * 2);
    return { ok: true };
  } catch (error) {
    return failed(describe(error));
  }
}
