import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { NextFunction, Request, Response } from 'express';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Logger } from '@cadence/observability';
import { PROBLEM_CONTENT_TYPE, problem } from '../http/problem-details';

export const CONSOLE_PATH = '/console';

/**
 * The console's page loads its script and stylesheet from this origin and talks to this API only; nothing
 * inline, nothing from elsewhere.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * dist/console, built by `npm run build` (scripts/build-console.mjs): found by walking up from this file, which
 * is apps/api/src/console/ in the sources (tests) and dist/apps/api/src/console/ once compiled (the image).
 */
export function findConsoleAssets(start: string = __dirname): string | null {
  for (let dir = start; ; dir = dirname(dir)) {
    const candidate = join(dir, 'dist', 'console');
    if (existsSync(join(candidate, 'index.html'))) return candidate;
    if (dirname(dir) === dir) return null;
  }
}

function securityHeaders(response: Response): void {
  response.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  response.setHeader('X-Content-Type-Options', 'nosniff');
  response.setHeader('Referrer-Policy', 'no-referrer');
  // Revalidated on each load (ETag): a rebuilt console is picked up at once.
  response.setHeader('Cache-Control', 'no-cache');
}

/**
 * Serves the operator console under /console: its built files, and index.html for any other path below it (the
 * console routes with the URL's hash, so that is only a fallback for hand-typed paths). Without a build, /console
 * answers 503 saying how to build it; the API works either way.
 */
export function serveConsole(
  app: NestExpressApplication,
  logger: Logger,
  assets = findConsoleAssets(),
): void {
  if (!assets) {
    logger.warn('console assets not found (dist/console): run `npm run build` to serve /console');
    app.use(CONSOLE_PATH, (request: Request, response: Response) => {
      const body = problem(503, 'the console is not built: run `npm run build`', request.originalUrl);
      response.status(503).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(body));
    });
    return;
  }
  app.useStaticAssets(assets, {
    prefix: CONSOLE_PATH,
    index: 'index.html',
    setHeaders: securityHeaders,
  });
  app.use(CONSOLE_PATH, (request: Request, response: Response, next: NextFunction) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return next();
    securityHeaders(response);
    response.sendFile(join(assets, 'index.html'));
  });
}
