import type { NextFunction, Request, Response } from 'express';
import type { Metrics } from '@cadence/observability';
import { routeOf } from './route-of';

/**
 * `cadence_http_requests_total{method,route,status}` and `cadence_http_request_seconds{method,route}`: every
 * request the api answered, counted and timed when its response finishes.
 */
export function httpMetrics(metrics: Metrics) {
  const requests = metrics.counter('cadence_http_requests_total', 'HTTP requests answered', [
    'method',
    'route',
    'status',
  ]);
  const seconds = metrics.histogram(
    'cadence_http_request_seconds',
    'Time to answer an HTTP request',
    ['method', 'route'],
    [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  );
  return (request: Request, response: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    response.on('finish', () => {
      const route = routeOf(request);
      const labels = { method: request.method, route };
      requests.inc({ ...labels, status: String(response.statusCode) });
      seconds.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
    });
    next();
  };
}
