import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { topicsFor } from '@cadence/contracts';
import { SchemaCodec } from './schema-codec';

const USER = 'registry-user';
const PASSWORD = 'registry-password-value';

/**
 * A registry that, as Confluent Schema Registry with basic auth does, answers 401 to any request without the
 * right credentials; with them, it accepts every registration (id 7) and lists no subjects.
 */
describe('SchemaCodec against a registry that requires basic auth', () => {
  let server: Server;
  let url: string;
  const seen: Array<{ method: string; path: string; authorized: boolean }> = [];

  const authorized = (request: IncomingMessage) =>
    request.headers.authorization === `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;

  beforeAll(async () => {
    server = createServer((request, response) => {
      const ok = authorized(request);
      seen.push({ method: request.method ?? '', path: request.url ?? '', authorized: ok });
      request.resume();
      request.on('end', () => {
        if (!ok) {
          response.writeHead(401, { 'content-type': 'application/json' });
          response.end(JSON.stringify({ error_code: 401, message: 'Unauthorized' }));
          return;
        }
        const path = request.url ?? '';
        const body = path.startsWith('/config')
          ? { compatibilityLevel: 'BACKWARD', compatibility: 'BACKWARD' }
          : path === '/subjects'
            ? []
            : { id: 7 };
        response.writeHead(200, { 'content-type': 'application/vnd.schemaregistry.v1+json' });
        response.end(JSON.stringify(body));
      });
    });
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((closed) => server.close(closed));
  });

  it('sends the credentials on every request: readiness and the registration of every schema succeed', async () => {
    seen.length = 0;
    const codec = new SchemaCodec({ url, username: USER, password: PASSWORD }, 2_000);
    await codec.ping();
    await codec.registerAll(topicsFor('auth.'));
    expect(seen.length).toBeGreaterThan(1);
    expect(seen.every((request) => request.authorized)).toBe(true);
    expect(seen.some((request) => request.method === 'POST')).toBe(true);
  });

  it('names the credentials, never the password, when the registry refuses them', async () => {
    const codec = new SchemaCodec({ url, username: USER, password: 'wrong-password-value' }, 2_000);
    const error: unknown = await codec.ping().then(
      () => null,
      (failure: unknown) => failure,
    );
    expect(String(error)).toMatch(/refused the credentials \(HTTP 401; check SCHEMA_REGISTRY_USERNAME/);
    expect(String(error)).not.toContain('wrong-password-value');
  });

  it('without credentials, says the registry refused them', async () => {
    const codec = new SchemaCodec({ url }, 2_000);
    await expect(codec.ping()).rejects.toThrow(/HTTP 401/);
  });
});
