import { context, propagation, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  BatchSpanProcessor,
  ParentBasedSampler,
  SimpleSpanProcessor,
  TraceIdRatioBasedSampler,
  type Sampler,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';

export interface TracingOptions {
  serviceName: string;
  /** OTLP/HTTP traces endpoint base (`http://collector:4318`); spans are exported only when it is set. */
  otlpEndpoint?: string;
  /** The share of new traces recorded when exporting (a trace started upstream follows its caller's choice). */
  sampleRatio?: number;
  /** Spans to this exporter as they end (tests: an in-memory exporter). */
  exporter?: SpanExporter;
  /**
   * Patch `http` and `pg` for their client and server spans. Only a process that starts tracing before it
   * loads them gets these (a role's main.ts does); jest's module registry is not patched.
   */
  instrument?: boolean;
}

export interface Tracing {
  /** Flushes what is pending and unregisters, so that another start (a test) begins clean. */
  shutdown(): Promise<void>;
}

/**
 * OpenTelemetry for one process. Trace ids are always made and carried (Kafka headers, the enrollment row, log
 * lines), so one request can be followed even with export off; spans are recorded only when an exporter is
 * configured, so the default costs a few ids per message.
 */
export function startTracing(options: TracingOptions): Tracing {
  const processors: SpanProcessor[] = [];
  if (options.otlpEndpoint)
    processors.push(
      new BatchSpanProcessor(
        new OTLPTraceExporter({ url: `${options.otlpEndpoint.replace(/\/$/, '')}/v1/traces` }),
      ),
    );
  if (options.exporter) processors.push(new SimpleSpanProcessor(options.exporter));
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: options.serviceName }),
    sampler: samplerFor(processors.length > 0, options.sampleRatio ?? 1),
    spanProcessors: processors,
  });
  provider.register({ propagator: new W3CTraceContextPropagator() });
  const unpatch = options.instrument
    ? registerInstrumentations({
        tracerProvider: provider,
        instrumentations: [
          new HttpInstrumentation({ ignoreIncomingRequestHook: (request) => isProbe(request.url) }),
          new PgInstrumentation({ requireParentSpan: true }),
        ],
      })
    : () => undefined;
  return {
    async shutdown() {
      unpatch();
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}

/** Recording only when something receives the spans; ids are made either way. */
function samplerFor(exporting: boolean, ratio: number): Sampler {
  if (!exporting) return new AlwaysOffSampler();
  return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio) });
}

/** Health, readiness and metrics scrapes: frequent and uninteresting, never traced. */
export const isProbe = (url: string | undefined): boolean => /^\/(health|metrics)\b/.test(url ?? '');
