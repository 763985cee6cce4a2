import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { KafkaUnavailableError } from '@cadence/kafka';

/** Kafka did not take the request in time: 503 with Retry-After, so the client retries (same idempotency key). */
@Catch(KafkaUnavailableError)
export class KafkaUnavailableFilter implements ExceptionFilter {
  catch(error: KafkaUnavailableError, host: ArgumentsHost): void {
    host
      .switchToHttp()
      .getResponse<Response>()
      .status(503)
      .set('Retry-After', String(error.retryAfterSeconds))
      .json({
        statusCode: 503,
        error: 'Service Unavailable',
        message: error.message,
        retryAfterSeconds: error.retryAfterSeconds,
      });
  }
}
