import { loadConfig } from '@cadence/config';
import { createLogger, Metrics } from '@cadence/observability';
import { AiGate } from './ai-gate';
import { CircuitBreaker, CircuitOpenError } from './circuit-breaker';
import type { Maestro, MaestroAnswer, MaestroQuestion } from './maestro.port';

/** The in-memory Maestro: answers from a script, or hangs until aborted. */
class ScriptedMaestro implements Maestro {
  calls = 0;
  constructor(private readonly script: (question: MaestroQuestion) => MaestroAnswer | 'hang' | Error) {}

  assess(question: MaestroQuestion, signal: AbortSignal): Promise<MaestroAnswer> {
    this.calls += 1;
    const outcome = this.script(question);
    if (outcome === 'hang') {
      return new Promise((_resolve, reject) =>
        signal.addEventListener('abort', () => reject(signal.reason as Error)),
      );
    }
    return outcome instanceof Error ? Promise.reject(outcome) : Promise.resolve(outcome);
  }
}

const question: MaestroQuestion = {
  accountId: 'a',
  contactId: 'c',
  sequenceId: 's',
  eventType: 'conversation.idle',
  conversationId: null,
  data: {},
};
const config = loadConfig({
  MAESTRO_TIMEOUT_MS: '50',
  MAESTRO_BREAKER_FAILURES: '3',
  MAESTRO_BREAKER_OPEN_MS: '60000',
});
const logger = createLogger('test', 'silent');
const gate = (maestro: Maestro | null) => new AiGate(maestro, config, logger, new Metrics());

describe('AiGate', () => {
  it('passes the Maestro’s yes and no, with its reason', async () => {
    expect(
      await gate(new ScriptedMaestro(() => ({ followUp: true, reason: 'asked for a quote' }))).ask(question),
    ).toEqual({
      verdict: 'yes',
      reason: 'asked for a quote',
    });
    expect(
      await gate(new ScriptedMaestro(() => ({ followUp: false, reason: 'already bought' }))).ask(question),
    ).toEqual({
      verdict: 'no',
      reason: 'already bought',
    });
  });

  it('fails open when unconfigured, failing or too slow', async () => {
    expect((await gate(null).ask(question)).verdict).toBe('unavailable');
    expect((await gate(new ScriptedMaestro(() => new Error('HTTP 500'))).ask(question)).verdict).toBe(
      'unavailable',
    );
    const slow = await gate(new ScriptedMaestro(() => 'hang')).ask(question);
    expect(slow).toMatchObject({
      verdict: 'unavailable',
      reason: expect.stringMatching(/Timeout/) as unknown,
    });
  });

  it('stops calling a failing Maestro once the circuit opens', async () => {
    const failing = new ScriptedMaestro(() => new Error('down'));
    const open = gate(failing);
    for (let i = 0; i < 5; i++) expect((await open.ask(question)).verdict).toBe('unavailable');
    expect(failing.calls).toBe(3);
  });
});

describe('CircuitBreaker', () => {
  it('opens after the threshold, fails fast while open, and closes after a successful trial', async () => {
    let now = 0;
    const breaker = new CircuitBreaker(2, 1_000, () => now);
    const fail = () => Promise.reject(new Error('x'));
    await expect(breaker.run(fail)).rejects.toThrow('x');
    await expect(breaker.run(fail)).rejects.toThrow('x');
    await expect(breaker.run(() => Promise.resolve(1))).rejects.toBeInstanceOf(CircuitOpenError);
    now = 1_001;
    await expect(breaker.run(() => Promise.resolve(1))).resolves.toBe(1);
    await expect(breaker.run(fail)).rejects.toThrow('x');
    expect(breaker.isOpen).toBe(false);
  });
});
