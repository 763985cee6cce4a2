import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@cadence/config';
import { AiGate } from './ai-gate';
import { HttpMaestro } from './http-maestro';
import { MAESTRO, type Maestro } from './maestro.port';

/** The AI gate over the configured Maestro (none configured → every answer is "unavailable"). */
@Module({
  providers: [
    AiGate,
    {
      provide: MAESTRO,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): Maestro | null =>
        config.MAESTRO_BASE_URL
          ? new HttpMaestro(config.MAESTRO_BASE_URL, config.MAESTRO_MODEL, config.MAESTRO_API_KEY)
          : null,
    },
  ],
  exports: [AiGate],
})
export class MaestroModule {}
