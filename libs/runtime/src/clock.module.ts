import { Global, Module, type DynamicModule } from '@nestjs/common';
import { systemClock, type Clock } from '@cadence/domain';

export const CLOCK = Symbol('CLOCK');

/** The process's clock: the system clock in production, a manual one in tests. */
@Global()
@Module({})
export class ClockModule {
  static forRoot(clock: Clock = systemClock): DynamicModule {
    return { module: ClockModule, providers: [{ provide: CLOCK, useValue: clock }], exports: [CLOCK] };
  }
}
