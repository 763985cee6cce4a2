import { Catch, HttpException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { FieldError } from '@cadence/contracts';
import { KafkaUnavailableError } from '@cadence/kafka';
import type { Logger } from '@cadence/observability';
import { PROBLEM_CONTENT_TYPE, problem, validationProblem, type ProblemDetails } from './problem-details';

/** What the API's own exceptions carry (see ZodValidationPipe, IdParamPipe). */
interface ExceptionBody {
  error?: unknown;
  errors?: unknown;
  message?: unknown;
}

const isFieldErrors = (value: unknown): value is FieldError[] =>
  Array.isArray(value) &&
  value.every((e) => typeof e === 'object' && e !== null && 'path' in e && 'message' in e);

/** The problem an HttpException stands for. */
function fromHttpException(error: HttpException, instance: string): ProblemDetails {
  const status = error.getStatus();
  const body: unknown = error.getResponse();
  const fields: ExceptionBody = typeof body === 'object' && body !== null ? body : {};
  if (isFieldErrors(fields.errors)) return validationProblem(fields.errors, instance);
  const message = Array.isArray(fields.message) ? fields.message.join('; ') : fields.message;
  const detail = typeof message === 'string' ? message : typeof body === 'string' ? body : error.message;
  // The API's own codes are snake_case (`idempotency_key_reused`); Nest's defaults ("Not Found") are titles.
  const code =
    typeof fields.error === 'string' && /^[a-z][a-z_]*$/.test(fields.error) ? fields.error : undefined;
  return problem(status, detail, instance, code ? { code } : {});
}

/**
 * Every error the API answers, as an RFC 9457 problem (`application/problem+json`): validation failures with
 * their field errors inside, not-found and auth errors, Kafka not taking a request (503 + Retry-After), and
 * anything unexpected (500, logged, its internals never shown).
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const instance = request.path;
    let body: ProblemDetails;
    if (error instanceof KafkaUnavailableError) {
      body = problem(503, error.message, instance, {
        code: 'kafka_unavailable',
        retryAfterSeconds: error.retryAfterSeconds,
      });
      response.set('Retry-After', String(error.retryAfterSeconds));
    } else if (error instanceof HttpException) {
      body = fromHttpException(error, instance);
    } else {
      this.logger.error({ error: String(error), path: instance }, 'unexpected error answering a request');
      body = problem(500, 'an unexpected error; it was logged', instance);
    }
    response.status(body.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(body));
  }
}
