export { createLogger, PinoNestLogger, type Logger } from './logger';
export { Readiness } from './readiness';
export { HealthController } from './health.controller';
export { ObservabilityModule, LOGGER } from './observability.module';
export { Metrics } from './metrics';
export { conciseError } from './concise-error';
