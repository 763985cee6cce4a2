import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@cadence/config';
import { MAESTRO_VERDICTS, type MaestroVerdict } from '@cadence/contracts';
import type { Counter, Histogram } from 'prom-client';
import { LOGGER, Metrics, type Logger } from '@cadence/observability';
import { CircuitBreaker } from './circuit-breaker';
import { MAESTRO, type Maestro, type MaestroQuestion } from './maestro.port';

export interface GateVerdict {
  verdict: MaestroVerdict;
  reason: string;
}

/**
 * Asks the Maestro whether a follow-up makes sense now. Fail-open: unconfigured, timed out, failing,
 * answering garbage or behind an open circuit all mean "unavailable", and the contact is enrolled anyway.
 */
@Injectable()
export class AiGate {
  private readonly breaker: CircuitBreaker;
  private readonly verdicts: Counter<'verdict'>;
  private readonly seconds: Histogram;

  constructor(
    @Inject(MAESTRO) private readonly maestro: Maestro | null,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    metrics: Metrics,
  ) {
    this.breaker = new CircuitBreaker(config.MAESTRO_BREAKER_FAILURES, config.MAESTRO_BREAKER_OPEN_MS);
    this.verdicts = metrics.counter(
      'cadence_maestro_verdicts_total',
      'AI gate answers: yes, no, or unavailable (enrolled anyway: the gate fails open)',
      ['verdict'],
    );
    for (const verdict of MAESTRO_VERDICTS) this.verdicts.inc({ verdict }, 0);
    this.seconds = metrics.histogram(
      'cadence_maestro_seconds',
      'Time the AI gate waited for the Maestro',
      [],
      [0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5],
    );
  }

  async ask(question: MaestroQuestion): Promise<GateVerdict> {
    const verdict = await this.askMaestro(question);
    this.verdicts.inc({ verdict: verdict.verdict });
    return verdict;
  }

  private async askMaestro(question: MaestroQuestion): Promise<GateVerdict> {
    const maestro = this.maestro;
    if (!maestro) return { verdict: 'unavailable', reason: 'no Maestro configured' };
    const stopTimer = this.seconds.startTimer();
    try {
      const answer = await this.breaker.run(() =>
        maestro.assess(question, AbortSignal.timeout(this.config.MAESTRO_TIMEOUT_MS)),
      );
      return { verdict: answer.followUp ? 'yes' : 'no', reason: answer.reason };
    } catch (error) {
      const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      this.logger.warn({ contactId: question.contactId, reason }, 'Maestro unavailable; failing open');
      return { verdict: 'unavailable', reason: reason.slice(0, 500) };
    } finally {
      stopTimer();
    }
  }
}
