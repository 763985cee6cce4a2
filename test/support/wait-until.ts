import { inspect } from 'node:util';

export interface WaitOptions {
  /** How long the condition may take (default 30 s: generous, for a slow and shared machine). */
  timeoutMs?: number;
  /** The pause between two observations (default 100 ms). */
  intervalMs?: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_INTERVAL_MS = 100;

type Falsy = undefined | null | false;

/**
 * The one way a test waits for a condition: observes until `until` accepts the observed value and returns
 * that value. Without `until`, until the observation is something other than undefined, null or false. On
 * timeout it fails naming what was awaited and the last value observed. An observation that throws fails
 * at once (a broken probe is not a condition still to come).
 */
export function waitUntil<T>(
  what: string,
  observe: () => T | Promise<T>,
  until: (value: T) => boolean,
  options?: WaitOptions,
): Promise<T>;
export function waitUntil<T>(
  what: string,
  observe: () => T | Falsy | Promise<T | Falsy>,
  options?: WaitOptions,
): Promise<T>;
export async function waitUntil<T>(
  what: string,
  observe: () => T | Promise<T>,
  untilOrOptions?: ((value: T) => boolean) | WaitOptions,
  maybeOptions?: WaitOptions,
): Promise<T> {
  const until =
    typeof untilOrOptions === 'function'
      ? untilOrOptions
      : (value: T) => value !== undefined && value !== null && value !== false;
  const options = (typeof untilOrOptions === 'function' ? maybeOptions : untilOrOptions) ?? {};
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const intervalMs = options.intervalMs ?? DEFAULT_INTERVAL_MS;
  const started = Date.now();
  let observations = 0;
  for (;;) {
    const value = await observe();
    observations++;
    if (until(value)) return value;
    if (Date.now() - started >= timeoutMs) {
      throw new Error(
        `waited ${timeoutMs} ms for ${what} (${observations} observations); last observed: ${describe(value)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

function describe(value: unknown): string {
  const text = inspect(value, { depth: 4, maxArrayLength: 20, maxStringLength: 300, breakLength: Infinity });
  return text.length > 2_000 ? `${text.slice(0, 2_000)}…` : text;
}
