export { createLogger, PinoNestLogger, redact, type Logger } from './logger';
export { Readiness, type ComponentStatus, type ReadinessReport, type ReadinessCheck } from './readiness';
export { HealthController } from './health.controller';
export { ObservabilityModule, LOGGER } from './observability.module';
export { Metrics } from './metrics';
export { conciseError } from './concise-error';
export { isProbe, startTracing, type Tracing, type TracingOptions } from './tracing';
export {
  SpanKind,
  SpanStatusCode,
  TRACEPARENT_HEADER,
  activeTraceIds,
  annotateActiveSpan,
  runInSpan,
  activeTraceParent,
  contextOf,
  inSpan,
  startSpan,
  traceParentInHeaders,
  traceParentOf,
  type Span,
  type SpanOptions,
  type TraceParent,
} from './trace-context';
export { SpanSet, type SpanSetMember } from './span-set';
export { bootTraced } from './boot-traced';
