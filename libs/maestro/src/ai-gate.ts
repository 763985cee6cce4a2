import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@cadence/config';
import { LOGGER, type Logger } from '@cadence/observability';
import { CircuitBreaker } from './circuit-breaker';
import { MAESTRO, type Maestro, type MaestroQuestion } from './maestro.port';

export interface GateVerdict {
  verdict: 'yes' | 'no' | 'unavailable';
  reason: string;
}

/**
 * Asks the Maestro whether a follow-up makes sense now. Fail-open: unconfigured, timed out, failing,
 * answering garbage or behind an open circuit all mean "unavailable", and the contact is enrolled anyway.
 */
@Injectable()
export class AiGate {
  private readonly breaker: CircuitBreaker;

  constructor(
    @Inject(MAESTRO) private readonly maestro: Maestro | null,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.breaker = new CircuitBreaker(config.MAESTRO_BREAKER_FAILURES, config.MAESTRO_BREAKER_OPEN_MS);
  }

  async ask(question: MaestroQuestion): Promise<GateVerdict> {
    const maestro = this.maestro;
    if (!maestro) return { verdict: 'unavailable', reason: 'no Maestro configured' };
    try {
      const answer = await this.breaker.run(() =>
        maestro.assess(question, AbortSignal.timeout(this.config.MAESTRO_TIMEOUT_MS)),
      );
      return { verdict: answer.followUp ? 'yes' : 'no', reason: answer.reason };
    } catch (error) {
      const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      this.logger.warn({ contactId: question.contactId, reason }, 'Maestro unavailable; failing open');
      return { verdict: 'unavailable', reason: reason.slice(0, 500) };
    }
  }
}
