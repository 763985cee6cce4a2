import { readFileSync } from 'node:fs';
import { configSchema, type AppConfig } from './config.schema';

export class ConfigError extends Error {}

/** Secrets that may come from a mounted file instead (`<NAME>_FILE`), as container platforms provide them. */
const FILE_SECRETS = ['KAFKA_SASL_PASSWORD', 'SCHEMA_REGISTRY_PASSWORD', 'MAESTRO_API_KEY'] as const;

/**
 * The one place that reads process.env. Apps call it once at boot; tests pass overrides.
 * Invalid settings stop the process with every offending variable named (never with its value).
 */
export function loadConfig(overrides: Record<string, string | undefined> = {}): AppConfig {
  const values = withFileSecrets({ ...process.env, ...overrides });
  const parsed = configSchema.safeParse(values);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  return parsed.data;
}

function withFileSecrets(values: Record<string, string | undefined>): Record<string, string | undefined> {
  const resolved = { ...values };
  for (const name of FILE_SECRETS) {
    const file = values[`${name}_FILE`];
    if (!file || values[name]) continue;
    try {
      resolved[name] = readFileSync(file, 'utf8').trim();
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      throw new ConfigError(`Invalid configuration:\n  ${name}_FILE: cannot read ${file} (${String(code)})`);
    }
  }
  return resolved;
}

/** Values that must never reach a log line or an error message (logger.ts redacts them). */
export function secretValues(config: AppConfig): string[] {
  const secrets = [config.KAFKA_SASL_PASSWORD, config.SCHEMA_REGISTRY_PASSWORD, config.MAESTRO_API_KEY];
  const databasePassword = passwordOf(config.DATABASE_URL);
  return [...secrets, databasePassword].filter((secret): secret is string => Boolean(secret));
}

function passwordOf(url: string): string | undefined {
  try {
    const password = decodeURIComponent(new URL(url).password);
    return password || undefined;
  } catch {
    return undefined;
  }
}
