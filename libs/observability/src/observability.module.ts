import { Global, Module, type DynamicModule } from '@nestjs/common';
import { HealthController } from './health.controller';
import type { Logger } from './logger';
import { Readiness } from './readiness';

export const LOGGER = Symbol('LOGGER');

/** The process's logger, its readiness registry and the /health endpoints. */
@Global()
@Module({})
export class ObservabilityModule {
  static forRoot(logger: Logger): DynamicModule {
    return {
      module: ObservabilityModule,
      controllers: [HealthController],
      providers: [{ provide: LOGGER, useValue: logger }, Readiness],
      exports: [LOGGER, Readiness],
    };
  }
}
