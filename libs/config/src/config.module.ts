import { Global, Module, type DynamicModule } from '@nestjs/common';
import type { AppConfig } from './config.schema';
import { APP_CONFIG } from './tokens';

/** Provides the validated configuration (loaded once by the process's main) under APP_CONFIG. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [{ provide: APP_CONFIG, useValue: config }],
      exports: [APP_CONFIG],
    };
  }
}
