import pino, { type Logger } from 'pino';
import type { LoggerService } from '@nestjs/common';

export type { Logger } from 'pino';

/** Secrets shorter than this are not searched for in log lines (they would blank out ordinary words). */
const MIN_REDACTED_LENGTH = 6;

/**
 * Structured JSON logs, one logger per process role. Every line is written with each of `secrets` (passwords,
 * keys) replaced by "[redacted]", wherever it appears: a message, an error, a URL a library logged.
 */
export function createLogger(role: string, level: string, secrets: readonly string[] = []): Logger {
  const options = {
    name: role,
    level,
    base: { role, pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  const searched = secrets.filter((secret) => secret.length >= MIN_REDACTED_LENGTH);
  if (searched.length === 0) return pino(options);
  const out = pino.destination({ fd: 1, sync: true });
  return pino(options, { write: (line: string) => out.write(redact(line, searched)) });
}

/** `line` with every occurrence of each secret (as written, and as JSON escapes it) replaced. */
export function redact(line: string, secrets: readonly string[]): string {
  let result = line;
  for (const secret of secrets) {
    for (const form of new Set([secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret)])) {
      if (result.includes(form)) result = result.split(form).join('[redacted]');
    }
  }
  return result;
}

/** Routes Nest's own log lines into the same JSON stream. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}
  log(message: unknown, context?: string): void {
    this.logger.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string): void {
    this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string): void {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string): void {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string): void {
    this.logger.trace({ context }, String(message));
  }
}
