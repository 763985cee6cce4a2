import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { configPairsSchema, configSchema, type AppConfig } from './config.schema';

export class ConfigError extends Error {}

/** Secrets that may come from a mounted file instead (`<NAME>_FILE`), as container platforms provide them. */
const FILE_SECRETS = ['KAFKA_SASL_PASSWORD', 'SCHEMA_REGISTRY_PASSWORD', 'MAESTRO_API_KEY'] as const;

/**
 * The one place that reads process.env. Apps call it once at boot; tests pass overrides.
 * Invalid settings stop the process with every offending variable named (never with its value).
 */
export function loadConfig(overrides: Record<string, string | undefined> = {}): AppConfig {
  const values = withFileSecrets({ ...process.env, ...overrides });
  const parsed = configSchema.safeParse(values, { error: describeIssue });
  if (!parsed.success) {
    // The pair checks again on their own: zod skips them above when any other variable is invalid.
    const pairs = configPairsSchema.safeParse(values, { error: describeIssue });
    const issues = [...parsed.error.issues, ...(pairs.success ? [] : pairs.error.issues)];
    const problems = new Set(issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
    throw new ConfigError(`Invalid configuration:\n  ${[...problems].join('\n  ')}`);
  }
  return parsed.data;
}

/**
 * What a variable should be, never what it is: zod's own messages echo the received value ("received
 * 's3cret'"), and a secret pasted into the wrong variable would reach the logs. Zod asks this for the message
 * of every issue that has none; the pair checks in config.schema.ts write theirs, from settings that are not
 * secret.
 */
function describeIssue(issue: z.core.$ZodRawIssue): string {
  if (issue.code === 'invalid_value')
    return `expected one of ${issue.values.map((option) => `'${String(option)}'`).join(' | ')}`;
  if (issue.code === 'invalid_type')
    return issue.input === undefined ? 'required' : `expected ${issue.expected}`;
  if (issue.code === 'invalid_format') return `expected a valid ${issue.format}`;
  if (issue.code === 'too_small')
    return issue.origin === 'string'
      ? `expected at least ${String(issue.minimum)} character(s)`
      : `expected a ${issue.origin} ${issue.inclusive ? '>=' : '>'} ${String(issue.minimum)}`;
  if (issue.code === 'too_big')
    return issue.origin === 'string'
      ? `expected at most ${String(issue.maximum)} character(s)`
      : `expected a ${issue.origin} ${issue.inclusive ? '<=' : '<'} ${String(issue.maximum)}`;
  return `invalid (${String(issue.code)})`;
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
