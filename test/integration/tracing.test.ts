import { randomBytes } from 'node:crypto';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { apiRole } from '../../apps/api/src/api-app.module';
import { enrollmentRole } from '../../apps/enrollment/src/enrollment-app.module';
import { stepRunnerRole } from '../../apps/step-runner/src/step-runner-app.module';
import type { EnrollmentLifecycleEvent, OutboundMessageCommand } from '../../libs/contracts/src';
import { startTracing, type Tracing } from '../../libs/observability/src';
import { createAccount, createPublishedSequence, issueApiKey } from '../support/fixtures';
import { HttpClient } from '../support/http-client';
import { useTestEnvironment } from '../support/use-test-environment';
import { waitUntil } from '../support/wait-until';

/** The trace and parent span a W3C traceparent names. */
function parse(traceParent: string | undefined): { traceId: string; spanId: string } {
  const match = /^00-([0-9a-f]{32})-([0-9a-f]{16})-0[01]$/.exec(traceParent ?? '');
  if (!match?.[1] || !match[2]) throw new Error(`not a traceparent: ${traceParent}`);
  return { traceId: match[1], spanId: match[2] };
}

describe('tracing: one trace from the HTTP enroll through the decision to the step-runner’s channel command', () => {
  const exporter = new InMemorySpanExporter();
  // Before any role starts: every span of the apps below lands in this exporter.
  const tracing: Tracing = startTracing({ serviceName: 'cadence-test', exporter });
  const env = useTestEnvironment();
  let http: HttpClient;
  let accountId: string;

  beforeAll(async () => {
    await env.start(enrollmentRole);
    await env.start(stepRunnerRole);
    const api = await env.start(apiRole);
    accountId = (await createAccount(env.db)).id;
    http = new HttpClient(api, await issueApiKey(env.db, accountId));
  });

  afterAll(async () => {
    await tracing.shutdown();
  });

  it('links the caller’s trace, the api request, the decision, the step fired, its command and lifecycle events', async () => {
    const sequence = await createPublishedSequence(env.db, accountId, {
      steps: [{ delayMinutes: 0, channel: 'sms', content: 'welcome' }],
    });
    const sms = await env.collect<OutboundMessageCommand>(env.topics.outbound.sms);
    const lifecycle = await env.collect<EnrollmentLifecycleEvent>(env.topics.enrollmentLifecycle);

    // The caller (a CRM's backend) is in a trace of its own and says so, as W3C Trace Context asks.
    const callerTrace = randomBytes(16).toString('hex');
    const callerSpan = randomBytes(8).toString('hex');
    const accepted = await http.post<{ requestId: string }>(
      '/v1/enrollments/manual',
      { sequenceId: sequence.id, contactId: 'tracy', userId: 'agent-7' },
      { traceparent: `00-${callerTrace}-${callerSpan}-01` },
    );
    expect(accepted.status).toBe(202);
    // The answer names the trace, for the caller or support to look it up.
    expect(parse(accepted.headers.get('traceresponse') ?? undefined).traceId).toBe(callerTrace);

    const [command] = await sms.waitFor(1, 20_000);
    const inTrace = () => exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === callerTrace);
    const named = (name: string): ReadableSpan | undefined => inTrace().find((s) => s.name === name);
    await waitUntil(
      'the trace’s spans, the step fired last',
      () => named('step.fire'),
      (span) => span !== undefined,
      { timeoutMs: 10_000, intervalMs: 50 },
    );

    const request = named('POST /v1/enrollments/manual');
    const decision = named('enrollment.command');
    const fired = named('step.fire');
    if (!request || !decision || !fired) throw new Error('a span of the trace is missing');
    // Each hop is a child of the one before it, across two topics and a database row.
    expect(request.parentSpanContext?.spanId).toBe(callerSpan);
    expect(request.attributes['http.route']).toBe('/v1/enrollments/manual');
    expect(decision.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
    expect(decision.attributes).toMatchObject({
      'cadence.request_id': accepted.body.requestId,
      'cadence.command': 'enroll',
      'cadence.outcome': 'started',
    });
    const enrollmentId = decision.attributes['cadence.enrollment_id'];
    expect(fired.parentSpanContext?.spanId).toBe(decision.spanContext().spanId);
    expect(fired.attributes).toMatchObject({
      'cadence.enrollment_id': enrollmentId,
      'cadence.step_index': 0,
    });

    // The channel command carries the step's span, so the gateway that sends it can continue the trace.
    expect(command?.value.enrollmentId).toBe(enrollmentId);
    expect(parse(command?.headers.traceparent)).toEqual({
      traceId: callerTrace,
      spanId: fired.spanContext().spanId,
    });

    // The lifecycle events too: "started" from the decision, "step_sent" (through the outbox) from the step.
    const events = await lifecycle.waitFor(2, 20_000);
    const started = events.find((e) => e.value.type === 'started' && e.value.enrollmentId === enrollmentId);
    const stepSent = events.find(
      (e) => e.value.type === 'step_sent' && e.value.enrollmentId === enrollmentId,
    );
    expect(parse(started?.headers.traceparent)).toEqual({
      traceId: callerTrace,
      spanId: decision.spanContext().spanId,
    });
    expect(parse(stepSent?.headers.traceparent)).toEqual({
      traceId: callerTrace,
      spanId: fired.spanContext().spanId,
    });

    // The batch spans (decide a batch, fire a pass, relay the outbox) link the requests they worked for.
    const linksTo = (name: string, spanId: string) =>
      exporter
        .getFinishedSpans()
        .some((s) => s.name === name && s.links.some((link) => link.context.spanId === spanId));
    expect(linksTo('enrollment.commands', request.spanContext().spanId)).toBe(true);
    expect(linksTo('step-runner.fire-due-steps', decision.spanContext().spanId)).toBe(true);
    await waitUntil(
      'the outbox relay span',
      () => linksTo('outbox.relay', fired.spanContext().spanId),
      (linked) => linked,
      { timeoutMs: 10_000, intervalMs: 50 },
    );
  });

  it('a request without a traceparent starts its own trace, which the decision and the step continue', async () => {
    const sequence = await createPublishedSequence(env.db, accountId, {
      steps: [{ delayMinutes: 0, channel: 'email', content: 'hi' }],
    });
    const email = await env.collect<OutboundMessageCommand>(env.topics.outbound.email);
    const accepted = await http.post<{ requestId: string }>('/v1/enrollments', {
      sequenceId: sequence.id,
      contactId: 'nora',
    });
    const { traceId } = parse(accepted.headers.get('traceresponse') ?? undefined);
    const [command] = await email.waitFor(1, 20_000);
    expect(parse(command?.headers.traceparent).traceId).toBe(traceId);
    const request = exporter
      .getFinishedSpans()
      .find((s) => s.spanContext().traceId === traceId && s.name === 'POST /v1/enrollments');
    expect(request?.parentSpanContext).toBeUndefined();
  });
});
