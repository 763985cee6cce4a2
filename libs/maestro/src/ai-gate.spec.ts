import { loadConfig } from '@cadence/config';
import { createLogger, Metrics } from '@cadence/observability';
import { enrollCommand, toCommandRecord, validateEnrollmentCommand } from '@cadence/contracts';
import { AiGate, maestroProvenance, type GateVerdict } from './ai-gate';
import { CircuitBreaker, CircuitOpenError } from './circuit-breaker';
import { HttpMaestro } from './http-maestro';
import { REASON_MAX } from './maestro-answer';
import type { QuestionInput } from './maestro-question';
import type { Maestro, MaestroQuestion } from './maestro.port';

/** The in-memory Maestro: answers from a script, or hangs until aborted. */
class ScriptedMaestro implements Maestro {
  calls = 0;
  asked: MaestroQuestion[] = [];
  constructor(private readonly script: (question: MaestroQuestion) => unknown) {}

  assess(question: MaestroQuestion, signal: AbortSignal): Promise<unknown> {
    this.calls += 1;
    this.asked.push(question);
    const outcome = this.script(question);
    if (outcome === 'ignore the signal') return new Promise(() => undefined);
    if (outcome === 'hang') {
      return new Promise((_resolve, reject) =>
        signal.addEventListener('abort', () => reject(signal.reason as Error)),
      );
    }
    return outcome instanceof Error ? Promise.reject(outcome) : Promise.resolve(outcome);
  }
}

const question: QuestionInput = {
  accountId: 'a',
  contactId: 'c',
  sequenceId: 's',
  eventType: 'conversation.idle',
  conversationId: 'cv-1',
  data: {},
  recentMessages: [
    { id: 'm1', direction: 'outbound', at: Date.UTC(2026, 11, 1, 9), text: 'Here is the quote.' },
    { id: 'm2', direction: 'inbound', at: Date.UTC(2026, 11, 1, 10), text: 'Thanks, I will think about it.' },
  ],
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
    ).toMatchObject({
      verdict: 'yes',
      reason: 'asked for a quote',
    });
    expect(
      await gate(new ScriptedMaestro(() => ({ followUp: false, reason: 'already bought' }))).ask(question),
    ).toMatchObject({
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

/** The verdict recorded in an AI enroll command passes the enrollment app's validation (no dead letter). */
function expectCommandValid(verdict: GateVerdict): void {
  const command = enrollCommand({
    commandId: 'ai:1',
    accountId: '00000000-0000-4000-8000-00000000000a',
    contactId: 'c',
    sequenceId: '00000000-0000-4000-8000-00000000000b',
    method: 'ai',
    requestedAt: 1,
    provenance: maestroProvenance(verdict),
  });
  expect(validateEnrollmentCommand(toCommandRecord(command))).toEqual({ ok: true, value: command });
}

describe('AiGate with the conversation in view', () => {
  it('asks with the recent messages, oldest first, and keeps the question with the verdict', async () => {
    const maestro = new ScriptedMaestro(() => ({ followUp: true, reason: 'left thinking about the quote' }));
    const verdict = await gate(maestro).ask(question);
    expect(maestro.asked[0]?.recentMessages).toEqual([
      { direction: 'outbound', at: '2026-12-01T09:00:00.000Z', text: 'Here is the quote.' },
      { direction: 'inbound', at: '2026-12-01T10:00:00.000Z', text: 'Thanks, I will think about it.' },
    ]);
    expect(JSON.parse(verdict.question)).toEqual({
      eventType: 'conversation.idle',
      conversationId: 'cv-1',
      recentMessages: maestro.asked[0]?.recentMessages,
    });
    expect(maestroProvenance(verdict)).toEqual({
      maestroVerdict: 'yes',
      maestroReason: 'left thinking about the quote',
      maestroQuestion: verdict.question,
    });
    expectCommandValid(verdict);
  });

  it('keeps the question even when the Maestro is unavailable', async () => {
    const verdict = await gate(null).ask(question);
    expect(verdict.verdict).toBe('unavailable');
    expect(JSON.parse(verdict.question)).toMatchObject({ conversationId: 'cv-1' });
  });
});

describe('AiGate against hostile or broken answers', () => {
  const MEGABYTE = 1024 * 1024;

  it.each<[string, unknown, Partial<GateVerdict>]>([
    ['a bare string', 'sure, why not!', { verdict: 'unavailable' }],
    ['null', null, { verdict: 'unavailable' }],
    ['an array', [true, 'ok'], { verdict: 'unavailable' }],
    ['followUp as a string', { followUp: 'yes', reason: 'ok' }, { verdict: 'unavailable' }],
    ['no reason', { followUp: true }, { verdict: 'unavailable' }],
    ['a numeric reason', { followUp: false, reason: 42 }, { verdict: 'unavailable' }],
    [
      'extra fields (ignored)',
      { followUp: false, reason: 'bought', confidence: 0.9, followUpAt: 'never' },
      { verdict: 'no', reason: 'bought' },
    ],
    [
      'NUL, escape and newline characters in the reason',
      { followUp: true, reason: 'wants\u0000 a\u001b[31m call\nback\u0085 \u202eevil' },
      { verdict: 'yes', reason: 'wants a [31m call back evil' },
    ],
    [
      'a lone surrogate in the reason',
      { followUp: true, reason: 'ok \ud800 then' },
      { verdict: 'yes', reason: 'ok \ufffd then' },
    ],
    [
      'an empty reason',
      { followUp: true, reason: ' \u0000 ' },
      { verdict: 'yes', reason: '(no reason given)' },
    ],
  ])('%s ends in a valid verdict that fails open or is sanitised', async (_case, answer, expected) => {
    const verdict = await gate(new ScriptedMaestro(() => answer)).ask(question);
    expect(verdict).toMatchObject(expected);
    expectCommandValid(verdict);
  });

  it('bounds a 1 MB reason to the kept length', async () => {
    const verdict = await gate(
      new ScriptedMaestro(() => ({ followUp: true, reason: 'x'.repeat(MEGABYTE) })),
    ).ask(question);
    expect(verdict).toEqual(expect.objectContaining({ verdict: 'yes', reason: 'x'.repeat(REASON_MAX) }));
    expectCommandValid(verdict);
  });

  it('fails open by the timeout even when the Maestro ignores the abort signal', async () => {
    const verdict = await gate(new ScriptedMaestro(() => 'ignore the signal')).ask(question);
    expect(verdict).toMatchObject({
      verdict: 'unavailable',
      reason: expect.stringMatching(/Timeout/) as unknown,
    });
  });
});

describe('AiGate over HTTP against hostile or broken responses', () => {
  const completion = (content: string) => JSON.stringify({ choices: [{ message: { content } }] });
  const respond =
    (body: ConstructorParameters<typeof Response>[0], init: ResponseInit = {}) =>
    () =>
      Promise.resolve(new Response(body, { status: 200, ...init }));
  /** A body that streams `chunks` of `size` bytes and never says how long it is. */
  const streamed = (size: number, chunks: number) =>
    new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < chunks; i++) controller.enqueue(new Uint8Array(size).fill(0x61));
        controller.close();
      },
    });
  const hanging = () => new ReadableStream<Uint8Array>({ start: () => undefined });
  const httpGate = () => gate(new HttpMaestro('http://maestro.invalid/v1', 'model', undefined));
  afterEach(() => jest.restoreAllMocks());

  it.each<[string, () => Promise<Response>, RegExp]>([
    ['HTTP 500', respond('{"error":"overloaded"}', { status: 500 }), /HTTP 500/],
    ['a body that is not JSON', respond('<html>\u0000oops</html>'), /response is not JSON/],
    ['JSON that is not a chat completion', respond('{"answer":true}'), /not a chat completion/],
    ['a message content that is not JSON', respond(completion('Sure!\u0007')), /answer is not JSON/],
    [
      'a huge body announced by its length',
      respond('x'.repeat(100_000), { headers: { 'content-length': '100000' } }),
      /over the 65536/,
    ],
    ['a huge body streamed without a length', respond(streamed(16_384, 64)), /over the 65536/],
    ['bytes that are not UTF-8', respond(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])), /not UTF-8/],
    ['headers, then a body that never ends', respond(hanging()), /Timeout/],
  ])('%s fails open with a recordable reason', async (_case, answer, reason) => {
    jest.spyOn(globalThis, 'fetch').mockImplementation(answer);
    const verdict = await httpGate().ask(question);
    expect(verdict).toMatchObject({
      verdict: 'unavailable',
      reason: expect.stringMatching(reason) as unknown,
    });
    expectCommandValid(verdict);
  });

  it('a well-formed answer with control characters is a sanitised yes', async () => {
    jest
      .spyOn(globalThis, 'fetch')
      .mockImplementation(
        respond(completion(JSON.stringify({ followUp: true, reason: 'call\u0000 me\r\nlater' }))),
      );
    const verdict = await httpGate().ask(question);
    expect(verdict).toMatchObject({ verdict: 'yes', reason: 'call me later' });
    expectCommandValid(verdict);
  });

  it('sends the bounded question as the user message', async () => {
    const fetch = jest
      .spyOn(globalThis, 'fetch')
      .mockImplementation(respond(completion('{"followUp":false,"reason":"no"}')));
    await httpGate().ask(question);
    const sent = fetch.mock.calls[0]?.[1]?.body;
    const body = JSON.parse(typeof sent === 'string' ? sent : '') as {
      messages: Array<{ content: string }>;
    };
    expect(JSON.parse(body.messages[1]?.content ?? '')).toMatchObject({
      conversationId: 'cv-1',
      recentMessages: [{ text: 'Here is the quote.' }, { text: 'Thanks, I will think about it.' }],
    });
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
