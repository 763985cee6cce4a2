import { ApiOperation, ApiResponse } from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE, problem, validationProblem } from './problem-details';

export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 415 | 422 | 503;

const PROBLEM_SCHEMA = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail', 'instance', 'code'],
  properties: {
    type: { type: 'string', example: 'urn:cadence:problem:validation_failed' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    instance: { type: 'string' },
    code: { type: 'string' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['path', 'message'],
        properties: { path: { type: 'string' }, message: { type: 'string' } },
      },
    },
    retryAfterSeconds: { type: 'integer' },
  },
};

/** The example problem of each error status, as the API answers it. */
function exampleProblem(status: ErrorStatus, path: string): object {
  switch (status) {
    case 400:
      return validationProblem([{ path: 'contactId', message: 'control characters are not allowed' }], path);
    case 401:
      return problem(401, 'an API key is required', path);
    case 403:
      return problem(403, "this key's scope is enroll; the route needs an admin key", path, {
        code: 'insufficient_scope',
      });
    case 404:
      return problem(404, 'not found in this account', path);
    case 409:
      return problem(409, 'the first call with this Idempotency-Key is still being recorded', path);
    case 415:
      return problem(415, 'the body must be application/json (got text/plain)', path);
    case 422:
      return problem(422, 'the Idempotency-Key "k-1" was used for another request', path, {
        code: 'idempotency_key_reused',
      });
    case 503:
      return problem(503, 'Kafka did not take the request within 5000 ms', path, {
        code: 'kafka_unavailable',
        retryAfterSeconds: 5,
      });
  }
}

const DESCRIPTIONS: Record<ErrorStatus, string> = {
  400: 'Invalid input: each offending field, by path',
  401: 'No API key, or an unknown or revoked one',
  403: 'The key is enroll-only (scope `enroll`); this route needs an admin key',
  404: 'Not found in this account',
  409: 'A concurrent call with the same Idempotency-Key is still being recorded',
  415: 'The body is not application/json',
  422: 'The Idempotency-Key was used for another request',
  503: 'Kafka cannot take the request now: retry after Retry-After seconds',
};

export interface AnswersSpec {
  operationId: string;
  summary: string;
  /** The success answer: its status, what it means, and an example body. */
  ok: { status: 200 | 201 | 202; description: string; example: unknown };
  /** Error statuses the route answers besides 401 (every /v1 route needs a key). */
  errors: ErrorStatus[];
  /** The route's path, for the examples' `instance`. */
  path: string;
  /** A route's own problem for a status, where it differs from the usual one (its detail, code, meaning). */
  problems?: Partial<Record<ErrorStatus, { detail: string; code: string; description: string }>>;
}

/**
 * A route's OpenAPI contract in one place: its operation id and summary, its success answer with an example,
 * and each error it can answer as an RFC 9457 problem with an example. A test checks every route has one.
 */
export function ApiAnswers(spec: AnswersSpec): MethodDecorator {
  const decorators: MethodDecorator[] = [
    ApiOperation({ operationId: spec.operationId, summary: spec.summary }),
    ApiResponse({
      status: spec.ok.status,
      description: spec.ok.description,
      content: { 'application/json': { example: spec.ok.example } },
    }),
    ...[401 as const, ...spec.errors].map((status) => {
      const own = spec.problems?.[status];
      return ApiResponse({
        status,
        description: own?.description ?? DESCRIPTIONS[status],
        content: {
          [PROBLEM_CONTENT_TYPE]: {
            schema: PROBLEM_SCHEMA,
            example: own
              ? problem(status, own.detail, spec.path, { code: own.code })
              : exampleProblem(status, spec.path),
          },
        },
      });
    }),
  ];
  return (target, key, descriptor) => {
    for (const decorator of decorators) decorator(target, key, descriptor);
  };
}
