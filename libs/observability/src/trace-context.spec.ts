import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { SpanSet } from './span-set';
import {
  activeTraceIds,
  activeTraceParent,
  contextOf,
  inSpan,
  startSpan,
  traceParentInHeaders,
  traceParentOf,
} from './trace-context';
import { startTracing, type Tracing } from './tracing';

const PARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

describe('trace context across messages and rows', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing;
  beforeAll(() => {
    tracing = startTracing({ serviceName: 'unit', exporter });
  });
  afterAll(() => tracing.shutdown());
  beforeEach(() => exporter.reset());

  it('reads a traceparent from Kafka headers as kafkajs gives them (bytes, a string, a list)', () => {
    expect(traceParentInHeaders({ traceparent: Buffer.from(PARENT) })).toBe(PARENT);
    expect(traceParentInHeaders({ traceparent: PARENT })).toBe(PARENT);
    expect(traceParentInHeaders({ traceparent: [Buffer.from(PARENT), 'other'] })).toBe(PARENT);
    expect(traceParentInHeaders({ other: 'x' })).toBeUndefined();
    expect(traceParentInHeaders(undefined)).toBeUndefined();
  });

  it('a span started from a stored traceparent is its child, and hands on a traceparent of its own', () => {
    const span = startSpan('step.fire', { parent: PARENT });
    const next = traceParentOf(span);
    span.end();
    expect(next).toMatch(/^00-0af7651916cd43dd8448eb211c80319c-[0-9a-f]{16}-01$/);
    expect(next).not.toBe(PARENT);
    const [finished] = exporter.getFinishedSpans();
    expect(finished?.parentSpanContext?.spanId).toBe('b7ad6b7169203331');
  });

  it('a garbled traceparent starts a new trace instead of failing', () => {
    const span = startSpan('x', { parent: 'not-a-traceparent' });
    expect(traceParentOf(span)).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(traceParentOf(span)?.includes('0af7651916cd43dd8448eb211c80319c')).toBe(false);
    span.end();
    expect(contextOf('garbage')).toBe(contextOf(null));
  });

  it('inside a span, log fields and sends see it; outside, nothing', async () => {
    expect(activeTraceIds()).toBeUndefined();
    expect(activeTraceParent()).toBeUndefined();
    const span = startSpan('work', { parent: PARENT });
    await inSpan(span, async () => {
      await Promise.resolve();
      expect(activeTraceIds()).toEqual({
        traceId: '0af7651916cd43dd8448eb211c80319c',
        spanId: span.spanContext().spanId,
      });
      expect(activeTraceParent()).toBe(traceParentOf(span));
    });
    expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual(['work']);
  });

  it('inSpan records a failure on the span and rethrows it', async () => {
    await expect(inSpan(startSpan('failing'), () => Promise.reject(new Error('boom')))).rejects.toThrow(
      'boom',
    );
    const [failed] = exporter.getFinishedSpans();
    expect(failed?.status).toMatchObject({ code: 2, message: 'boom' });
  });

  it('a span set: one span per member under its own trace, a batch span linking them all', () => {
    const other = '00-11111111111111111111111111111111-2222222222222222-01';
    const set = new SpanSet('batch', 'member', [
      { key: 'a', parent: PARENT },
      { key: 'b', parent: other },
      { key: 'c', parent: undefined },
      { key: 'a', parent: other }, // a repeat keeps the first
    ]);
    expect(set.traceParentOf('a')).toMatch(/^00-0af7651916cd43dd8448eb211c80319c-/);
    expect(set.traceParentOf('b')).toMatch(/^00-11111111111111111111111111111111-/);
    expect(set.traceParentOf('missing')).toBeUndefined();
    expect(set.traceParentOf(null)).toBeUndefined();
    set.annotate('a', { 'cadence.outcome': 'started' });
    set.end();
    const spans = exporter.getFinishedSpans();
    expect(spans.filter((s) => s.name === 'member')).toHaveLength(3);
    const batch = spans.find((s) => s.name === 'batch');
    expect(batch?.links.map((l) => l.context.traceId)).toEqual([
      '0af7651916cd43dd8448eb211c80319c',
      '11111111111111111111111111111111',
      '11111111111111111111111111111111',
    ]);
    expect(spans.find((s) => s.attributes['cadence.outcome'] === 'started')?.spanContext().traceId).toBe(
      '0af7651916cd43dd8448eb211c80319c',
    );
  });
});

describe('a span set run to its end', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing;
  beforeAll(() => {
    tracing = startTracing({ serviceName: 'unit', exporter });
  });
  afterAll(() => tracing.shutdown());

  it('ends every span, the batch recording the failure, and rethrows', async () => {
    const set = new SpanSet('batch', 'member', [{ key: 'a', parent: PARENT }]);
    await expect(
      set.runToEnd(async () => {
        expect(activeTraceIds()?.spanId).toBe(set.batch.spanContext().spanId);
        throw new Error('database gone');
      }),
    ).rejects.toThrow('database gone');
    const spans = exporter.getFinishedSpans();
    expect(spans.map((s) => s.name).sort()).toEqual(['batch', 'member']);
    expect(spans.find((s) => s.name === 'batch')?.status).toMatchObject({
      code: 2,
      message: 'database gone',
    });
  });
});

describe('with export off (the default)', () => {
  it('spans are not recorded, yet a traceparent passes through unchanged in trace and goes on', () => {
    const tracing = startTracing({ serviceName: 'unit' });
    const span = startSpan('decide', { parent: PARENT });
    expect(span.isRecording()).toBe(false);
    expect(traceParentOf(span)).toMatch(/^00-0af7651916cd43dd8448eb211c80319c-[0-9a-f]{16}-00$/);
    span.end();
    return tracing.shutdown();
  });
});
