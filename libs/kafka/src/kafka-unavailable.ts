/** Kafka did not take a request in the time the caller may wait; the caller should retry later. */
export class KafkaUnavailableError extends Error {
  constructor(
    readonly waitedMs: number,
    readonly retryAfterSeconds: number,
  ) {
    super(`Kafka did not accept the request within ${waitedMs} ms; retry with the same idempotency key`);
    this.name = 'KafkaUnavailableError';
  }
}

/**
 * `work`, or a KafkaUnavailableError once `timeoutMs` passed. The send itself goes on (kafkajs keeps retrying)
 * and may still land; a client that retries with its idempotency key is decided once either way.
 */
export async function withinDeadline<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new KafkaUnavailableError(timeoutMs, Math.max(1, Math.ceil(timeoutMs / 1000)))),
      timeoutMs,
    );
  });
  // A send that fails after the deadline has nobody to tell; its failure is already answered as a 503.
  work.catch(() => undefined);
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
