import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { apiRole } from '../../apps/api/src/api-app.module';
import { enrollmentRole } from '../../apps/enrollment/src/enrollment-app.module';
import { inactivityWatcherRole } from '../../apps/inactivity-watcher/src/inactivity-watcher-app.module';
import { stepRunnerRole } from '../../apps/step-runner/src/step-runner-app.module';
import { triggerRouterRole } from '../../apps/trigger-router/src/trigger-router-app.module';
import { useTestEnvironment } from '../support/use-test-environment';

const OPS = join(__dirname, '..', '..', 'ops');
const HISTOGRAM_SERIES = ['_bucket', '_sum', '_count'];

/** Every metric family a role exports (from its `# TYPE` lines), with a histogram's series names too. */
async function exported(app: INestApplication): Promise<Set<string>> {
  const { port } = (app.getHttpServer() as Server).address() as AddressInfo;
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const names = new Set<string>();
  for (const [, name, type] of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    if (!name) continue;
    names.add(name);
    if (type === 'histogram') for (const suffix of HISTOGRAM_SERIES) names.add(`${name}${suffix}`);
  }
  return names;
}

/** The metric names an expression file uses (ours and the process ones; `up` is Prometheus's own). */
const namesIn = (text: string): string[] => [
  ...new Set(text.match(/\b(?:cadence|process)_[a-z0-9_]+\b/g) ?? []),
];

describe('the alert rules and the dashboard name only metrics the apps export', () => {
  const env = useTestEnvironment();

  it('every metric in ops/prometheus/cadence-alerts.yml and ops/grafana/cadence-dashboard.json is exported by a role', async () => {
    const apps = [];
    for (const role of [apiRole, triggerRouterRole, inactivityWatcherRole, enrollmentRole, stepRunnerRole])
      apps.push(await env.start(role));
    const all = new Set<string>();
    for (const app of apps) for (const name of await exported(app)) all.add(name);

    const rules = namesIn(readFileSync(join(OPS, 'prometheus', 'cadence-alerts.yml'), 'utf8'));
    const dashboard = namesIn(readFileSync(join(OPS, 'grafana', 'cadence-dashboard.json'), 'utf8'));
    expect(rules.length).toBeGreaterThanOrEqual(8);
    expect(dashboard.length).toBeGreaterThanOrEqual(14);
    expect([...rules, ...dashboard].filter((name) => !all.has(name))).toEqual([]);
    // The operators' figures: step lag and due backlog, outbox backlog, breaker, HTTP, readiness.
    for (const name of [
      'cadence_step_fire_lag_seconds',
      'cadence_steps_due',
      'cadence_outbox_backlog',
      'cadence_maestro_breaker_open',
      'cadence_http_requests_total',
      'cadence_http_request_seconds',
      'cadence_ready',
    ])
      expect(all.has(name)).toBe(true);
  });
});
