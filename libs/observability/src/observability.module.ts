import { Global, Module, type DynamicModule } from '@nestjs/common';
import { HealthController } from './health.controller';
import type { Logger } from './logger';
import { Metrics } from './metrics';
import { MetricsController } from './metrics.controller';
import { Readiness } from './readiness';

export const LOGGER = Symbol('LOGGER');

/** The process's logger, readiness registry and metrics registry, with /health and /metrics. */
@Global()
@Module({})
export class ObservabilityModule {
  static forRoot(logger: Logger, readinessTimeoutMs?: number): DynamicModule {
    return {
      module: ObservabilityModule,
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: LOGGER, useValue: logger },
        { provide: Readiness, useValue: new Readiness(readinessTimeoutMs) },
        {
          provide: Metrics,
          inject: [Readiness],
          useFactory: (readiness: Readiness) => {
            const metrics = new Metrics();
            // 1 when every dependency and worker answers ready (what /health/ready says), else 0.
            metrics.gaugeReading('cadence_ready', 'Whether the process is ready (1) or not (0)', async () =>
              (await readiness.report()).ready ? 1 : 0,
            );
            return metrics;
          },
        },
      ],
      exports: [LOGGER, Readiness, Metrics],
    };
  }
}
