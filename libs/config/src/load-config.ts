import { configSchema, type AppConfig } from './config.schema';

export class ConfigError extends Error {}

/**
 * The one place that reads process.env. Apps call it once at boot; tests pass overrides.
 * Invalid settings stop the process with every offending variable named.
 */
export function loadConfig(overrides: Record<string, string | undefined> = {}): AppConfig {
  const parsed = configSchema.safeParse({ ...process.env, ...overrides });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  return parsed.data;
}
