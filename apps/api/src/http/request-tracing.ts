import type { NextFunction, Request, Response } from 'express';
import {
  SpanKind,
  SpanStatusCode,
  activeTraceParent,
  isProbe,
  runInSpan,
  startSpan,
  traceParentInHeaders,
  traceParentOf,
  type Logger,
} from '@cadence/observability';
import { routeOf } from './route-of';

/**
 * A span per request, and one log line when it is answered. The span is a child of the http instrumentation's
 * server span where that runs, else of the caller's `traceparent` header: an enroll command the request
 * publishes carries this span's context to the enrollment app. The answer's `traceresponse` header names the
 * trace, for a caller (or support) to find it.
 */
export function traceRequests(logger: Logger) {
  return (request: Request, response: Response, next: NextFunction): void => {
    if (isProbe(request.path)) return next();
    const underServerSpan = activeTraceParent() !== undefined;
    const span = startSpan(`${request.method} ${request.path}`, {
      parent: underServerSpan ? undefined : (traceParentInHeaders(request.headers) ?? null),
      kind: underServerSpan ? SpanKind.INTERNAL : SpanKind.SERVER,
      attributes: { 'http.request.method': request.method, 'url.path': request.path },
    });
    const traceResponse = traceParentOf(span);
    if (traceResponse) response.setHeader('traceresponse', traceResponse);
    const started = Date.now();
    response.on('finish', () => {
      const route = routeOf(request);
      span.updateName(`${request.method} ${route}`);
      span.setAttributes({ 'http.route': route, 'http.response.status_code': response.statusCode });
      if (response.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      runInSpan(span, () =>
        logger.info(
          {
            method: request.method,
            route,
            status: response.statusCode,
            ms: Date.now() - started,
            location: response.getHeader('location'),
          },
          'answered',
        ),
      );
      span.end();
    });
    runInSpan(span, next);
  };
}
