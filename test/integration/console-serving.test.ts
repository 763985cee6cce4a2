import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { apiRole } from '../../apps/api/src/api-app.module';
import { serveConsole } from '../../apps/api/src/console/serve-console';
import { createLogger } from '../../libs/observability/src';
import { HttpClient } from '../support/http-client';
import { useTestEnvironment } from '../support/use-test-environment';

const ROOT = join(__dirname, '..', '..');

describe('the api serves the operator console under /console', () => {
  const env = useTestEnvironment();
  let http: HttpClient;
  let unbuilt: HttpClient;

  beforeAll(async () => {
    // The assets as `npm run build` makes them, from the sources as they are.
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-console.mjs')], {
      cwd: ROOT,
      stdio: 'ignore',
    });
    http = new HttpClient(await env.start(apiRole), null);
    const withoutAssets = {
      ...apiRole,
      configureHttp: (app: Parameters<NonNullable<typeof apiRole.configureHttp>>[0]) =>
        serveConsole(app, createLogger('api', 'error'), null),
    };
    unbuilt = new HttpClient(await env.start(withoutAssets), null);
  });

  it('answers the page, its script and its stylesheet, with a policy that allows nothing inline or foreign', async () => {
    for (const path of ['/console', '/console/']) {
      const page = await http.raw('GET', path);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      expect(page.text).toContain('<script type="module" src="/console/app.js"></script>');
      const policy = page.headers.get('content-security-policy') ?? '';
      expect(policy).toContain("default-src 'none'");
      expect(policy).toContain("script-src 'self'");
      expect(policy).not.toContain('unsafe-inline');
      expect(page.headers.get('cache-control')).toBe('no-cache');
    }
    const script = await http.raw('GET', '/console/app.js');
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/javascript/);
    expect(script.text.length).toBeGreaterThan(10_000);
    const style = await http.raw('GET', '/console/app.css');
    expect(style.status).toBe(200);
    expect(style.headers.get('content-type')).toMatch(/^text\/css/);
  });

  it('answers index.html for any other path below /console, and leaves the API and its errors alone', async () => {
    const deep = await http.raw('GET', '/console/enrollments/90cd');
    expect(deep.status).toBe(200);
    expect(deep.text).toContain('<div id="app">');
    const api = await http.raw('GET', '/v1/sequences');
    expect(api.status).toBe(401);
    expect(api.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect((await http.raw('GET', '/consoles')).status).toBe(404);
  });

  it('without a build, /console says how to make one (503) and the API still works', async () => {
    const page = await unbuilt.raw('GET', '/console/');
    expect(page.status).toBe(503);
    expect(JSON.parse(page.text)).toMatchObject({
      status: 503,
      detail: expect.stringContaining('npm run build'),
    });
    expect((await unbuilt.raw('GET', '/health/live')).status).toBe(200);
  });
});
