import type { Request } from 'express';

/** The route pattern a request matched (`/v1/enrollments/:id`), so that ids never become label values. */
export function routeOf(request: Request): string {
  const route: unknown = Reflect.get(request, 'route');
  const path: unknown = typeof route === 'object' && route !== null ? Reflect.get(route, 'path') : undefined;
  return typeof path === 'string' ? `${request.baseUrl}${path}` : 'unmatched';
}
