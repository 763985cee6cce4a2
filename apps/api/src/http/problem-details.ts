import type { FieldError } from '@cadence/contracts';

/** An RFC 9457 problem: every error the API answers has this shape, as `application/problem+json`. */
export interface ProblemDetails {
  /** `urn:cadence:problem:<code>`: stable, one per kind of problem. */
  type: string;
  title: string;
  status: number;
  detail: string;
  /** The request path the problem is about. */
  instance: string;
  /** The machine-readable kind (`validation_failed`, `not_found`, `kafka_unavailable`, …). */
  code: string;
  /** For `validation_failed`: each offending field's path and what is wrong with it. */
  errors?: FieldError[];
  /** For a 503: when to try again (also the `Retry-After` header). */
  retryAfterSeconds?: number;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  409: 'Conflict',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'Unprocessable content',
  500: 'Internal error',
  503: 'Service unavailable',
};

const CODES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'unprocessable',
  500: 'internal_error',
  503: 'service_unavailable',
};

/** A problem of `status`, with the code of its kind (the status's own unless a more precise one is given). */
export function problem(
  status: number,
  detail: string,
  instance: string,
  extra: { code?: string; title?: string; errors?: FieldError[]; retryAfterSeconds?: number } = {},
): ProblemDetails {
  const code = extra.code ?? CODES[status] ?? `http_${status}`;
  return {
    type: `urn:cadence:problem:${code}`,
    title: extra.title ?? TITLES[status] ?? 'Error',
    status,
    detail,
    instance,
    code,
    ...(extra.errors ? { errors: extra.errors } : {}),
    ...(extra.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: extra.retryAfterSeconds }),
  };
}

/** A validation failure: 400 with every offending field. */
export const validationProblem = (errors: FieldError[], instance: string): ProblemDetails =>
  problem(
    400,
    errors.length === 1 ? `${errors[0]?.path}: ${errors[0]?.message}` : `${errors.length} fields are invalid`,
    instance,
    { code: 'validation_failed', title: 'Validation failed', errors },
  );
