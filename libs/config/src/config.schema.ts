import { z } from 'zod';

const intFromEnv = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** Every setting of every process, validated once at boot. The README's configuration table mirrors this. */
export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  KAFKA_BROKERS: z
    .string()
    .min(1)
    .default('127.0.0.1:9092')
    .transform((value) => value.split(',').map((broker) => broker.trim())),
  KAFKA_CLIENT_ID: z.string().min(1).default('cadence'),
  KAFKA_TOPIC_PREFIX: z.string().default('cadence.'),
  KAFKA_ENROLLMENT_COMMAND_PARTITIONS: intFromEnv(12),
  KAFKA_DEFAULT_PARTITIONS: intFromEnv(6),
  SCHEMA_REGISTRY_URL: z.string().url().default('http://127.0.0.1:8081/apis/ccompat/v7'),
  DATABASE_URL: z.string().min(1).default('postgres://postgres@127.0.0.1:5432/cadence'),
  DATABASE_POOL_SIZE: intFromEnv(10),
  HTTP_PORT: z.coerce.number().int().min(0).default(3000),
  CONSUMER_GROUP_PREFIX: z.string().default('cadence.'),
  CONSUMER_PARTITIONS_CONCURRENTLY: intFromEnv(3),
  STEP_RUNNER_POLL_MS: intFromEnv(500),
  STEP_RUNNER_BATCH_SIZE: intFromEnv(500),
  /** Backstop reload of the active sequences kept in memory (a committed change reloads them at once). */
  SEQUENCES_RELOAD_MS: intFromEnv(60_000),
  INACTIVITY_TICK_MS: intFromEnv(1_000),
  /** How far back the inactivity watcher looks when it starts (crossings while it was down). */
  INACTIVITY_LOOKBACK_MINUTES: intFromEnv(1_440),
  SHUTDOWN_TIMEOUT_MS: intFromEnv(15_000),
  /** The Maestro (AI gate): an OpenAI-compatible chat-completions endpoint. Unset → always "unavailable". */
  MAESTRO_BASE_URL: z.string().url().optional(),
  MAESTRO_MODEL: z.string().min(1).default('gpt-4o-mini'),
  MAESTRO_API_KEY: z.string().optional(),
  MAESTRO_TIMEOUT_MS: intFromEnv(3_000),
  MAESTRO_BREAKER_FAILURES: intFromEnv(5),
  MAESTRO_BREAKER_OPEN_MS: intFromEnv(30_000),
  /** Where scripts (the demo) reach the api process. */
  API_BASE_URL: z.string().url().default('http://127.0.0.1:3000'),
});

export type AppConfig = z.infer<typeof configSchema>;
