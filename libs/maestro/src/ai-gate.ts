import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@cadence/config';
import { MAESTRO_VERDICTS, type MaestroVerdict, type Provenance } from '@cadence/contracts';
import type { Counter, Histogram } from 'prom-client';
import { LOGGER, Metrics, type Logger } from '@cadence/observability';
import { CircuitBreaker } from './circuit-breaker';
import { parseAnswer, sanitiseReason } from './maestro-answer';
import { buildQuestion, questionAsked, type QuestionInput } from './maestro-question';
import { MAESTRO, type Maestro, type MaestroQuestion } from './maestro.port';

export interface GateVerdict {
  verdict: MaestroVerdict;
  /** Sanitised and bounded (`sanitiseReason`), whatever the Maestro or the failure said. */
  reason: string;
  /** The question as kept with the decision (`questionAsked`). */
  question: string;
}

/** The provenance fields that keep the gate's question and answer with the decision. */
export const maestroProvenance = (
  gate: GateVerdict,
): Pick<Provenance, 'maestroVerdict' | 'maestroReason' | 'maestroQuestion'> => ({
  maestroVerdict: gate.verdict,
  maestroReason: gate.reason,
  maestroQuestion: gate.question,
});

class MaestroTimeoutError extends Error {
  override name = 'TimeoutError';
}

/** Rejects when the timeout signal fires, even if the Maestro adapter ignores the signal. */
function withinTimeout<T>(call: Promise<T>, signal: AbortSignal, timeoutMs: number): Promise<T> {
  const timedOut = new Promise<never>((_resolve, reject) =>
    signal.addEventListener(
      'abort',
      () => reject(new MaestroTimeoutError(`no answer within ${timeoutMs} ms`)),
      { once: true },
    ),
  );
  return Promise.race([call, timedOut]);
}

/**
 * Asks the Maestro whether a follow-up makes sense now, with the conversation's recent messages, in a bounded
 * question (`buildQuestion`). Fail-open: unconfigured, timed out, failing, answering garbage or behind an open
 * circuit all mean "unavailable", and the contact is enrolled anyway. The answer is never trusted: a yes or
 * no needs a boolean, and every reason is sanitised, so no answer can make the command invalid downstream.
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
    metrics.gaugeReading(
      'cadence_maestro_breaker_open',
      "Whether the Maestro's circuit breaker is open (1)",
      () => (this.breaker.isOpen ? 1 : 0),
    );
    this.seconds = metrics.histogram(
      'cadence_maestro_seconds',
      'Time the AI gate waited for the Maestro',
      [],
      [0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5],
    );
  }

  async ask(input: QuestionInput): Promise<GateVerdict> {
    const question = buildQuestion(input);
    const { verdict, reason } = await this.askMaestro(question);
    this.verdicts.inc({ verdict });
    return { verdict, reason, question: questionAsked(question) };
  }

  private async askMaestro(question: MaestroQuestion): Promise<Omit<GateVerdict, 'question'>> {
    const maestro = this.maestro;
    if (!maestro) return { verdict: 'unavailable', reason: 'no Maestro configured' };
    const stopTimer = this.seconds.startTimer();
    try {
      const answer = await this.breaker.run(async () => {
        const timeoutMs = this.config.MAESTRO_TIMEOUT_MS;
        const signal = AbortSignal.timeout(timeoutMs);
        return parseAnswer(await withinTimeout(maestro.assess(question, signal), signal, timeoutMs));
      });
      return { verdict: answer.followUp ? 'yes' : 'no', reason: answer.reason };
    } catch (error) {
      // An error message may quote the Maestro (or a parser quoting its bytes): sanitised like a reason.
      const reason = sanitiseReason(
        error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      );
      this.logger.warn({ contactId: question.contactId, reason }, 'Maestro unavailable; failing open');
      return { verdict: 'unavailable', reason };
    } finally {
      stopTimer();
    }
  }
}
