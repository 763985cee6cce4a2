import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAccount, createPublishedSequence, issueApiKey } from '../support/fixtures';
import { RoleProcess } from '../support/role-process';
import { useTestEnvironment } from '../support/use-test-environment';
import { waitUntil } from '../support/wait-until';

/** A span as OTLP/HTTP JSON carries it, with the scope (instrumentation) and service that made it. */
interface ExportedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  scope: string;
  service: string;
}

interface OtlpAttribute {
  key: string;
  value: { stringValue?: string };
}
interface OtlpRequest {
  resourceSpans: Array<{
    resource: { attributes: OtlpAttribute[] };
    scopeSpans: Array<{ scope: { name: string }; spans: Array<Omit<ExportedSpan, 'scope' | 'service'>> }>;
  }>;
}

/** A stand-in OpenTelemetry collector: keeps every span POSTed to /v1/traces. */
async function startCollector(): Promise<{ server: Server; url: string; spans: ExportedSpan[] }> {
  const spans: ExportedSpan[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.url === '/v1/traces') {
        const body = JSON.parse(Buffer.concat(chunks).toString()) as OtlpRequest;
        for (const resource of body.resourceSpans) {
          const service =
            resource.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue ?? '';
          for (const scoped of resource.scopeSpans)
            for (const span of scoped.spans) spans.push({ ...span, scope: scoped.scope.name, service });
        }
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}`, spans };
}

const SERVER = 2; // OTLP SpanKind: SPAN_KIND_SERVER
const CLIENT = 3;

describe('trace export: a role process sends its spans over OTLP, with the http and pg instrumentations', () => {
  const env = useTestEnvironment();

  it('exports the request’s server span, our span under it and its database queries, all in one trace', async () => {
    const collector = await startCollector();
    const account = await createAccount(env.db);
    const key = await issueApiKey(env.db, account.id);
    const sequence = await createPublishedSequence(env.db, account.id, {
      steps: [{ delayMinutes: 60, channel: 'sms', content: 'later' }],
    });
    const api = RoleProcess.start('api', {
      ...env.settings,
      OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
    });
    try {
      await waitUntil(
        'the api process answers',
        () => api.get('/health/ready'),
        (answer) => answer?.status === 200,
        { timeoutMs: 60_000 },
      );
      const response = await fetch(`http://127.0.0.1:${api.port}/v1/enrollments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({ sequenceId: sequence.id, contactId: 'otto' }),
      });
      expect(response.status).toBe(202);
      const traceId = /^00-([0-9a-f]{32})-/.exec(response.headers.get('traceresponse') ?? '')?.[1];
      expect(traceId).toBeDefined();

      // SIGTERM flushes what the batch processor still holds.
      api.kill('SIGTERM');
      expect(await api.exited).toEqual({ code: 0, signal: null });

      const trace = collector.spans.filter((s) => s.traceId === traceId);
      const server = trace.find(
        (s) => s.kind === SERVER && s.scope === '@opentelemetry/instrumentation-http',
      );
      const ours = trace.find((s) => s.name === 'POST /v1/enrollments' && s.scope === 'cadence');
      expect(server).toBeDefined();
      expect(ours?.parentSpanId).toBe(server?.spanId);
      expect(trace.every((s) => s.service === 'cadence-api')).toBe(true);
      // The key lookup and the accepted request's row: pg client spans inside the request.
      const queries = trace.filter(
        (s) => s.scope === '@opentelemetry/instrumentation-pg' && s.kind === CLIENT,
      );
      expect(queries.length).toBeGreaterThan(0);
      // The log line of the answer names the same trace.
      expect(api.log).toMatch(new RegExp(`"traceId":"${traceId}"[^\\n]*"msg":"answered"`));
      // Probes are not traced.
      expect(collector.spans.some((s) => s.name.includes('/health'))).toBe(false);
    } finally {
      api.kill('SIGKILL');
      collector.server.close();
    }
  });
});
