import type { Response } from 'express';

/**
 * A 202's headers: `Location`, where to poll for the outcome; `Idempotent-Replayed: true` when the answer is the
 * first call's under the same `Idempotency-Key`.
 */
export function acceptedAt(response: Response, location: string, replayed = false): void {
  response.setHeader('Location', location);
  if (replayed) response.setHeader('Idempotent-Replayed', 'true');
}
