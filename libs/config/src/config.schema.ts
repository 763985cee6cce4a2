import { z } from 'zod';

const intFromEnv = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const flagFromEnv = (fallback: boolean) =>
  z
    .enum(['true', 'false'])
    .default(fallback ? 'true' : 'false')
    .transform((value) => value === 'true');
const optionalText = z.string().min(1).optional();

/** Topic classes: each has its own replication, retention and compression settings. */
export const TOPIC_CLASSES = ['commands', 'events', 'lifecycle', 'outbound', 'deadLetters'] as const;
export type TopicClass = (typeof TOPIC_CLASSES)[number];

export const TOPIC_COMPRESSIONS = ['producer', 'uncompressed', 'gzip', 'snappy', 'lz4', 'zstd'] as const;

const DAY_MS = 86_400_000;
/** Unset: the cluster's size decides (topic-plan.ts); never a hard-coded 1. */
const replicas = () => z.coerce.number().int().positive().optional();
const retentionDays = (days: number) =>
  z.coerce
    .number()
    .int()
    .min(-1)
    .default(days * DAY_MS);
const compression = () => z.enum(TOPIC_COMPRESSIONS).default('producer');

const configObject = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  KAFKA_BROKERS: z
    .string()
    .min(1)
    .default('127.0.0.1:9092')
    .transform((value) => value.split(',').map((broker) => broker.trim())),
  KAFKA_CLIENT_ID: z.string().min(1).default('cadence'),
  /** TLS to the brokers; the CA file is needed when the brokers' certificates are not publicly trusted. */
  KAFKA_SSL: flagFromEnv(false),
  KAFKA_SSL_CA_FILE: optionalText,
  /** Mutual TLS: the client's certificate and key (PEM). */
  KAFKA_SSL_CERT_FILE: optionalText,
  KAFKA_SSL_KEY_FILE: optionalText,
  KAFKA_SASL_MECHANISM: z.enum(['none', 'plain', 'scram-sha-256', 'scram-sha-512']).default('none'),
  KAFKA_SASL_USERNAME: optionalText,
  /** Or KAFKA_SASL_PASSWORD_FILE (a mounted secret); load-config reads the file. */
  KAFKA_SASL_PASSWORD: optionalText,
  /** Time to open a broker connection, TLS handshake and SASL exchange included. */
  KAFKA_CONNECTION_TIMEOUT_MS: intFromEnv(5_000),
  KAFKA_TOPIC_PREFIX: z.string().default('cadence.'),
  KAFKA_ENROLLMENT_COMMAND_PARTITIONS: intFromEnv(12),
  KAFKA_DEFAULT_PARTITIONS: intFromEnv(6),
  /** false: topics are managed as code elsewhere; a missing one stops the boot (readiness says which). */
  KAFKA_TOPICS_CREATE: flagFromEnv(true),
  // Per topic class: replication, min ISR, retention (-1 = forever) and compression.type.
  KAFKA_TOPICS_COMMANDS_REPLICATION_FACTOR: replicas(),
  KAFKA_TOPICS_COMMANDS_MIN_INSYNC_REPLICAS: replicas(),
  KAFKA_TOPICS_COMMANDS_RETENTION_MS: retentionDays(7),
  KAFKA_TOPICS_COMMANDS_COMPRESSION: compression(),
  KAFKA_TOPICS_EVENTS_REPLICATION_FACTOR: replicas(),
  KAFKA_TOPICS_EVENTS_MIN_INSYNC_REPLICAS: replicas(),
  KAFKA_TOPICS_EVENTS_RETENTION_MS: retentionDays(7),
  KAFKA_TOPICS_EVENTS_COMPRESSION: compression(),
  KAFKA_TOPICS_LIFECYCLE_REPLICATION_FACTOR: replicas(),
  KAFKA_TOPICS_LIFECYCLE_MIN_INSYNC_REPLICAS: replicas(),
  KAFKA_TOPICS_LIFECYCLE_RETENTION_MS: retentionDays(7),
  KAFKA_TOPICS_LIFECYCLE_COMPRESSION: compression(),
  KAFKA_TOPICS_OUTBOUND_REPLICATION_FACTOR: replicas(),
  KAFKA_TOPICS_OUTBOUND_MIN_INSYNC_REPLICAS: replicas(),
  KAFKA_TOPICS_OUTBOUND_RETENTION_MS: retentionDays(7),
  KAFKA_TOPICS_OUTBOUND_COMPRESSION: compression(),
  KAFKA_TOPICS_DEAD_LETTERS_REPLICATION_FACTOR: replicas(),
  KAFKA_TOPICS_DEAD_LETTERS_MIN_INSYNC_REPLICAS: replicas(),
  // Time to fix a cause and replay.
  KAFKA_TOPICS_DEAD_LETTERS_RETENTION_MS: retentionDays(30),
  KAFKA_TOPICS_DEAD_LETTERS_COMPRESSION: compression(),
  /** How long the api waits for Kafka to take a request before answering 503 with Retry-After. */
  KAFKA_PUBLISH_TIMEOUT_MS: intFromEnv(5_000),
  SCHEMA_REGISTRY_URL: z.url().default('http://127.0.0.1:8081/apis/ccompat/v7'),
  /** HTTP basic auth to the registry (Confluent Schema Registry, Confluent Cloud). */
  SCHEMA_REGISTRY_USERNAME: optionalText,
  /** Or SCHEMA_REGISTRY_PASSWORD_FILE. */
  SCHEMA_REGISTRY_PASSWORD: optionalText,
  DATABASE_URL: z.string().min(1).default('postgres://postgres@127.0.0.1:5432/cadence'),
  DATABASE_POOL_SIZE: intFromEnv(10),
  /** The address the HTTP server binds: 0.0.0.0 in a container. */
  HTTP_HOST: z.string().min(1).default('127.0.0.1'),
  HTTP_PORT: z.coerce.number().int().min(0).default(3000),
  /** Each readiness check (database, Kafka, registry) answers within this time or counts as failing. */
  READINESS_TIMEOUT_MS: intFromEnv(2_000),
  /** While a dependency is missing at boot, the process retries after this long (doubling, up to 30 s). */
  BOOT_RETRY_MS: intFromEnv(1_000),
  CONSUMER_GROUP_PREFIX: z.string().default('cadence.'),
  CONSUMER_PARTITIONS_CONCURRENTLY: intFromEnv(3),
  /** A consumer silent this long (killed, cut off) loses its partitions to the group's other members. */
  CONSUMER_SESSION_TIMEOUT_MS: intFromEnv(30_000),
  STEP_RUNNER_POLL_MS: intFromEnv(500),
  STEP_RUNNER_BATCH_SIZE: intFromEnv(500),
  /**
   * The fast path: a committed change that leaves a step due now (a zero-delay first step, a resume with
   * send-now) wakes the step-runners through Postgres NOTIFY instead of waiting for their next poll.
   */
  STEP_RUNNER_FAST_PATH: flagFromEnv(true),
  /** Backstop reload of the active sequences kept in memory (a committed change reloads them at once). */
  SEQUENCES_RELOAD_MS: intFromEnv(60_000),
  INACTIVITY_TICK_MS: intFromEnv(1_000),
  /** How far back the inactivity watcher looks when it starts (crossings while it was down). */
  INACTIVITY_LOOKBACK_MINUTES: intFromEnv(1_440),
  SHUTDOWN_TIMEOUT_MS: intFromEnv(15_000),
  /**
   * How long ended enrollments (with their history and decision), refusals and accepted requests are kept.
   * Longer than the command topics' retention, so that a redelivered command still finds its decision.
   */
  RETENTION_DAYS: intFromEnv(90),
  /** How long the trigger-router keeps each domain event's trace (what it routed, for "why"). */
  EVENT_TRACE_RETENTION_HOURS: intFromEnv(168),
  /** The Maestro (AI gate): an OpenAI-compatible chat-completions endpoint. Unset → always "unavailable". */
  MAESTRO_BASE_URL: z.url().optional(),
  MAESTRO_MODEL: z.string().min(1).default('gpt-4o-mini'),
  MAESTRO_API_KEY: z.string().optional(),
  MAESTRO_TIMEOUT_MS: intFromEnv(3_000),
  MAESTRO_BREAKER_FAILURES: intFromEnv(5),
  MAESTRO_BREAKER_OPEN_MS: intFromEnv(30_000),
  /**
   * Traces are exported over OTLP/HTTP to this collector (`http://otel-collector:4318`) when set; unset, none
   * leave the process (trace ids are still made, carried in Kafka headers and written in log lines).
   */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
  /** The share of new traces recorded when exporting; a trace begun by a caller follows the caller's choice. */
  TRACE_SAMPLE_RATIO: z.coerce.number().min(0).max(1).default(1),
  /** Where scripts (the demo) reach the api process. */
  API_BASE_URL: z.url().default('http://127.0.0.1:3000'),
});

/** The variables that must be set together (or not at all), as the object parses them. */
type PairedSettings = Pick<
  z.infer<typeof configObject>,
  | 'KAFKA_SASL_MECHANISM'
  | 'KAFKA_SASL_USERNAME'
  | 'KAFKA_SASL_PASSWORD'
  | 'KAFKA_SSL_CERT_FILE'
  | 'KAFKA_SSL_KEY_FILE'
  | 'SCHEMA_REGISTRY_USERNAME'
  | 'SCHEMA_REGISTRY_PASSWORD'
  | 'RETENTION_DAYS'
  | 'KAFKA_TOPICS_COMMANDS_RETENTION_MS'
>;

function checkPairs(config: PairedSettings, context: z.RefinementCtx): void {
  if (config.KAFKA_SASL_MECHANISM !== 'none' && (!config.KAFKA_SASL_USERNAME || !config.KAFKA_SASL_PASSWORD))
    context.addIssue({
      code: 'custom',
      path: ['KAFKA_SASL_USERNAME'],
      message: `KAFKA_SASL_MECHANISM=${config.KAFKA_SASL_MECHANISM} needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD (or KAFKA_SASL_PASSWORD_FILE)`,
    });
  if (Boolean(config.KAFKA_SSL_CERT_FILE) !== Boolean(config.KAFKA_SSL_KEY_FILE))
    context.addIssue({
      code: 'custom',
      path: ['KAFKA_SSL_CERT_FILE'],
      message: 'mutual TLS needs both KAFKA_SSL_CERT_FILE and KAFKA_SSL_KEY_FILE',
    });
  if (Boolean(config.SCHEMA_REGISTRY_USERNAME) !== Boolean(config.SCHEMA_REGISTRY_PASSWORD))
    context.addIssue({
      code: 'custom',
      path: ['SCHEMA_REGISTRY_USERNAME'],
      message: 'registry basic auth needs both SCHEMA_REGISTRY_USERNAME and SCHEMA_REGISTRY_PASSWORD',
    });
  // A command redelivered after its decision was pruned would be decided again.
  const commandsKeptMs = config.KAFKA_TOPICS_COMMANDS_RETENTION_MS;
  if (commandsKeptMs < 0 || config.RETENTION_DAYS * 86_400_000 <= commandsKeptMs)
    context.addIssue({
      code: 'custom',
      path: ['RETENTION_DAYS'],
      message:
        'RETENTION_DAYS must keep decisions longer than the command topics keep commands ' +
        '(KAFKA_TOPICS_COMMANDS_RETENTION_MS, which must not be -1)',
    });
}

/** Every setting of every process, validated once at boot. The README's configuration table mirrors this. */
export const configSchema = configObject.superRefine(checkPairs);

/**
 * The pair checks over only the variables they read. Zod skips `configSchema`'s refinement when any other
 * variable is invalid; load-config runs this one too, so one error names both kinds.
 */
export const configPairsSchema = configObject
  .pick({
    KAFKA_SASL_MECHANISM: true,
    KAFKA_SASL_USERNAME: true,
    KAFKA_SASL_PASSWORD: true,
    KAFKA_SSL_CERT_FILE: true,
    KAFKA_SSL_KEY_FILE: true,
    SCHEMA_REGISTRY_USERNAME: true,
    SCHEMA_REGISTRY_PASSWORD: true,
    RETENTION_DAYS: true,
    KAFKA_TOPICS_COMMANDS_RETENTION_MS: true,
  })
  .superRefine(checkPairs);

export type AppConfig = z.infer<typeof configSchema>;
