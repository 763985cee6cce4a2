export { createLogger, PinoNestLogger, redact, type Logger } from './logger';
export { Readiness, type ComponentStatus, type ReadinessReport, type ReadinessCheck } from './readiness';
export { HealthController } from './health.controller';
export { ObservabilityModule, LOGGER } from './observability.module';
export { Metrics } from './metrics';
export { conciseError } from './concise-error';
