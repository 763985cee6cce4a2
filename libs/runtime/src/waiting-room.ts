import { createServer, type Server } from 'node:http';
import type { AppConfig } from '@cadence/config';
import type { Logger } from '@cadence/observability';
import { preflight, type PreflightReport } from './preflight';

const MAX_RETRY_MS = 30_000;
/** A cause that has not changed is logged again after this long, not on every retry. */
const REPEAT_LOG_MS = 60_000;

/**
 * Waits until the role's dependencies are ready, asking again with a growing pause. Meanwhile the role's HTTP
 * port answers /health/live (200: the process is fine, do not restart it) and /health/ready (503 with each
 * failing component and why), so a wrong password or a missing ACL is a readable state, not a crash loop.
 */
export async function waitForDependencies(
  config: AppConfig,
  logger: Logger,
  groups: readonly string[],
  isStopping: () => boolean,
): Promise<PreflightReport | undefined> {
  let report = await preflight(config, logger, groups);
  if (report.ready) return report;
  const server = await listen(config, () => report);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.HTTP_PORT;
  let pauseMs = config.BOOT_RETRY_MS;
  let logged = { cause: '', at: 0 };
  try {
    while (!report.ready) {
      const cause = JSON.stringify(report.components);
      if (cause !== logged.cause || Date.now() - logged.at > REPEAT_LOG_MS) {
        logger.error(
          { components: report.components, port, retryInMs: pauseMs },
          'dependencies not ready; waiting',
        );
        logged = { cause, at: Date.now() };
      }
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
      if (isStopping()) return undefined;
      pauseMs = Math.min(MAX_RETRY_MS, pauseMs * 2);
      report = await preflight(config, logger, groups);
    }
    logger.info('dependencies ready');
    return report;
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

function listen(config: AppConfig, current: () => PreflightReport): Promise<Server> {
  const server = createServer((request, response) => {
    const path = (request.url ?? '').split('?')[0];
    const report = current();
    const [status, body] =
      path === '/health/live'
        ? [200, { status: 'ok' }]
        : path === '/health/ready'
          ? [503, { ready: false, components: report.components }]
          : [
              503,
              { statusCode: 503, error: 'Service Unavailable', message: 'starting: dependencies not ready' },
            ];
    response.writeHead(status, {
      'content-type': 'application/json',
      ...(status === 503 ? { 'retry-after': '5' } : {}),
    });
    response.end(JSON.stringify(body));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.HTTP_PORT, config.HTTP_HOST, () => resolve(server));
  });
}
