import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { LOGGER, type Logger } from '@cadence/observability';

/** Says in the log when the process starts to shut down (and why) and when everything is closed. */
@Injectable()
export class LifecycleLog
  implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown
{
  private stoppingSince = 0;

  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  onApplicationBootstrap(): void {
    this.logger.debug('bootstrapped');
  }

  beforeApplicationShutdown(signal?: string): void {
    this.stoppingSince = Date.now();
    this.logger.info({ signal: signal ?? null }, 'shutting down: finishing in-flight work');
  }

  onApplicationShutdown(signal?: string): void {
    this.logger.info({ signal: signal ?? null, tookMs: Date.now() - this.stoppingSince }, 'stopped');
  }
}
