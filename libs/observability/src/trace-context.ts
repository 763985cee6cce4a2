import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  context,
  trace,
  type Attributes,
  type Context,
  type Link,
  type Span,
  type TextMapGetter,
  type TextMapSetter,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { conciseError } from './concise-error';

export { SpanKind, SpanStatusCode, type Span } from '@opentelemetry/api';

/** A W3C `traceparent` value: `00-<trace id>-<span id>-<flags>`. */
export type TraceParent = string;

export const TRACEPARENT_HEADER = 'traceparent';

type HeaderValue = Buffer | string;
/** Kafka headers as kafkajs hands them over (a value may be bytes, a string or a list of either). */
type HeaderValues = Record<string, HeaderValue | readonly HeaderValue[] | undefined>;

function firstValue(value: HeaderValue | readonly HeaderValue[] | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return value.toString();
  const [first] = value;
  return first === undefined ? undefined : first.toString();
}

// Our own propagator, not the global one: Kafka headers and stored contexts read the same whether or not a
// tracer provider was registered.
const w3c = new W3CTraceContextPropagator();

const headerGetter: TextMapGetter<HeaderValues> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => firstValue(carrier[key]),
};

const headerSetter: TextMapSetter<Record<string, string>> = {
  set: (carrier, key, value) => {
    carrier[key] = value;
  },
};

const tracer = () => trace.getTracer('cadence');

/** The context a traceparent names (the root context when there is none or it does not parse). */
export function contextOf(traceParent: TraceParent | null | undefined): Context {
  if (!traceParent) return ROOT_CONTEXT;
  return w3c.extract(ROOT_CONTEXT, { [TRACEPARENT_HEADER]: traceParent }, headerGetter);
}

/** The traceparent a message carries in its headers, if any. */
export function traceParentInHeaders(headers: HeaderValues | undefined): TraceParent | undefined {
  return headers ? firstValue(headers[TRACEPARENT_HEADER]) : undefined;
}

/** The traceparent that makes the next hop a child of `span` (undefined for an invalid span). */
export function traceParentOf(span: Span): TraceParent | undefined {
  const carrier: Record<string, string> = {};
  w3c.inject(trace.setSpan(ROOT_CONTEXT, span), carrier, headerSetter);
  return carrier[TRACEPARENT_HEADER];
}

/** The traceparent of the span active here (undefined outside any span). */
export function activeTraceParent(): TraceParent | undefined {
  const span = trace.getActiveSpan();
  return span ? traceParentOf(span) : undefined;
}

export interface SpanOptions {
  /** The remote parent; without it the span is a child of the active context. */
  parent?: TraceParent | null;
  /** Other traces this span works for (a batch span links the messages it handles). */
  links?: ReadonlyArray<TraceParent | undefined>;
  attributes?: Attributes;
  kind?: SpanKind;
}

/** Starts a span (the caller ends it). */
export function startSpan(name: string, options: SpanOptions = {}): Span {
  const parent = options.parent === undefined ? context.active() : contextOf(options.parent);
  const links: Link[] = [];
  for (const link of options.links ?? []) {
    const linked = trace.getSpanContext(contextOf(link));
    if (linked) links.push({ context: linked });
  }
  return tracer().startSpan(
    name,
    { kind: options.kind ?? SpanKind.INTERNAL, attributes: options.attributes, links },
    parent,
  );
}

/** Marks `span` failed with `error`. */
export function recordFailure(span: Span, error: unknown): void {
  const { name, message } = conciseError(error);
  span.recordException({ name, message });
  span.setStatus({ code: SpanStatusCode.ERROR, message });
}

/** Runs `work` with `span` active, then ends it (recording an error as the span's status). */
export async function inSpan<T>(span: Span, work: () => Promise<T>): Promise<T> {
  try {
    return await runInSpan(span, work);
  } catch (error) {
    recordFailure(span, error);
    throw error;
  } finally {
    span.end();
  }
}

/** The ids of the span active here, for log lines (nothing outside a span). */
export function activeTraceIds(): { traceId: string; spanId: string } | undefined {
  const span = trace.getActiveSpan()?.spanContext();
  if (!span || !trace.isSpanContextValid(span)) return undefined;
  return { traceId: span.traceId, spanId: span.spanId };
}

/** Runs `work` with `span` active (the caller ends the span). */
export function runInSpan<T>(span: Span, work: () => T): T {
  return context.with(trace.setSpan(context.active(), span), work);
}

/** Adds attributes to the span active here (nothing outside a span). */
export function annotateActiveSpan(attributes: Attributes): void {
  trace.getActiveSpan()?.setAttributes(attributes);
}
