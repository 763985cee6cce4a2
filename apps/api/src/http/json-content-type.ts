import type { NextFunction, Request, Response } from 'express';
import { PROBLEM_CONTENT_TYPE, problem } from './problem-details';

/**
 * A body in another format than JSON is refused as such (415), instead of being read as an empty object whose
 * every field is then "required".
 */
export function requireJsonBody(request: Request, response: Response, next: NextFunction): void {
  const hasBody =
    Number(request.headers['content-length'] ?? 0) > 0 || request.headers['transfer-encoding'] !== undefined;
  if (!hasBody || request.is(['application/json', 'application/*+json'])) {
    next();
    return;
  }
  const got = request.headers['content-type'] ?? 'no content type';
  const body = problem(415, `the body must be application/json (got ${got})`, request.path);
  response.status(415).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(body));
}
