import type { NextFunction, Request, Response } from 'express';
import { PROBLEM_CONTENT_TYPE, problem } from './problem-details';

/** What the JSON body parser says went wrong (its errors carry an HTTP status and a type). */
const parserFailure = (error: unknown): { status: number; type: string } | null => {
  if (typeof error !== 'object' || error === null) return null;
  const status: unknown = Reflect.get(error, 'status');
  const type: unknown = Reflect.get(error, 'type');
  return typeof status === 'number' && typeof type === 'string' ? { status, type } : null;
};

const DETAILS: Record<string, string> = {
  'entity.parse.failed': 'the body is not valid JSON',
  'entity.too.large': 'the body is larger than the 5 MB the API reads',
  'encoding.unsupported': 'the body’s charset is not supported (send UTF-8)',
  'charset.unsupported': 'the body’s charset is not supported (send UTF-8)',
  'request.aborted': 'the request was aborted before its body was read',
};

/**
 * The body parser's failures (not JSON, too large, another charset) answered as problems, like every other
 * error: placed right after the parser, before the routes.
 */
export function bodyParserErrors(
  error: unknown,
  request: Request,
  response: Response,
  next: NextFunction,
): void {
  const failure = parserFailure(error);
  if (!failure) {
    next(error);
    return;
  }
  const detail = DETAILS[failure.type] ?? `the body could not be read (${failure.type})`;
  const body = problem(failure.status, detail, request.path);
  response.status(failure.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(body));
}
