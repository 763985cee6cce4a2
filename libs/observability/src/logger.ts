import pino, { type Logger } from 'pino';
import type { LoggerService } from '@nestjs/common';
import { activeTraceIds } from './trace-context';

export type { Logger } from 'pino';

/** Secrets shorter than this are not searched for in log lines (they would blank out ordinary words). */
const MIN_REDACTED_LENGTH = 6;

/**
 * Structured JSON logs, one logger per process role. A line written inside a span carries its `traceId` and
 * `spanId`. Every line is written with each of `secrets` (passwords,
 * keys) replaced by "[redacted]", wherever it appears: a message, an error, a URL a library logged.
 */
export function createLogger(role: string, level: string, secrets: readonly string[] = []): Logger {
  const options = {
    name: role,
    level,
    base: { role, pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    // The trace (and span) a line was written in, to find the trace from a log line and back.
    mixin: () => activeTraceIds() ?? {},
  };
  const searched = secrets.filter((secret) => secret.length >= MIN_REDACTED_LENGTH);
  if (searched.length === 0) return pino(options);
  const out = pino.destination({ fd: 1, sync: true });
  const redactLine = redactor(searched);
  return pino(options, { write: (line: string) => out.write(redactLine(line)) });
}

/**
 * `line` with every occurrence of each secret (as written, as JSON escapes it, URL-encoded) replaced by
 * "[redacted]" (see `redactor`).
 */
export function redact(line: string, secrets: readonly string[]): string {
  return redactor(secrets)(line);
}

/**
 * Replaces every occurrence of each secret (as written, as JSON escapes it, URL-encoded) in one pass that
 * tries the longest form first: a secret containing another leaves nothing behind, and a secret's
 * JSON-escaped form wins over its raw one. A match that would cut a JSON escape sequence (`\"`, `\\`, `\n`,
 * `\u001f`) in two is not the secret (a JSON string holds it escaped) and is left, so the line stays valid JSON.
 */
export function redactor(secrets: readonly string[]): (line: string) => string {
  const forms = [
    ...new Set(
      secrets.flatMap((secret) => [secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret)]),
    ),
  ]
    .filter((form) => form.length > 0)
    .sort((a, b) => b.length - a.length);
  if (forms.length === 0) return (line) => line;
  const pattern = new RegExp(forms.map(escapeRegExp).join('|'), 'g');
  return (line) => {
    pattern.lastIndex = 0;
    let result = '';
    let copied = 0;
    for (let match = pattern.exec(line); match; match = pattern.exec(line)) {
      const at = match.index;
      const whole = splitsEscape(line, at)
        ? undefined
        : forms.find((form) => line.startsWith(form, at) && !splitsEscape(line, at + form.length));
      if (whole === undefined) {
        // Not a whole occurrence here; an overlapping one may start at the next character.
        pattern.lastIndex = at + 1;
        continue;
      }
      result += `${line.slice(copied, at)}[redacted]`;
      copied = at + whole.length;
      pattern.lastIndex = copied;
    }
    return result + line.slice(copied);
  };
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Whether `position` falls inside a JSON escape sequence of `line` (`\X`, or `\uXXXX`). */
function splitsEscape(line: string, position: number): boolean {
  const escapes = (at: number): boolean => backslashesBefore(line, at + 1) % 2 === 1;
  if (position > 0 && line[position - 1] === '\\' && escapes(position - 1)) return true;
  for (let start = Math.max(0, position - 5); start <= position - 2; start += 1)
    if (line[start] === '\\' && line[start + 1] === 'u' && escapes(start)) return true;
  return false;
}

/** How many backslashes run up to (not including) `position`. */
function backslashesBefore(line: string, position: number): number {
  let count = 0;
  while (position - count - 1 >= 0 && line[position - count - 1] === '\\') count += 1;
  return count;
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
