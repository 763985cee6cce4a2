import { KafkaUnavailableError, withinDeadline } from './kafka-unavailable';

const after = <T>(ms: number, settle: () => T | Promise<T>): Promise<T> =>
  new Promise<void>((resolve) => setTimeout(resolve, ms)).then(settle);

const failureOf = (work: Promise<unknown>): Promise<unknown> =>
  work.then(
    () => null,
    (error: unknown) => error,
  );

describe('withinDeadline', () => {
  it('resolves with the value of work that finishes in time', async () => {
    expect(await withinDeadline(Promise.resolve('sent'), 50)).toBe('sent');
    expect(
      await withinDeadline(
        after(5, () => 42),
        1_000,
      ),
    ).toBe(42);
  });

  it('passes on the failure of work that fails in time', async () => {
    const refused = new Error('not authorized');
    expect(await failureOf(withinDeadline(Promise.reject(refused), 1_000))).toBe(refused);
  });

  it.each([
    // timeout, retry after (s)
    [50, 1],
    [1_000, 1],
    [1_001, 2],
    [2_500, 3],
  ])(
    'rejects work slower than %i ms with KafkaUnavailableError saying retry after %i s',
    async (timeoutMs, retryAfterSeconds) => {
      const never = new Promise<never>(() => undefined);
      const started = Date.now();
      const error = await failureOf(withinDeadline(never, timeoutMs));
      expect(Date.now() - started).toBeGreaterThanOrEqual(timeoutMs - 5);
      expect(error).toBeInstanceOf(KafkaUnavailableError);
      expect(error).toMatchObject({
        name: 'KafkaUnavailableError',
        waitedMs: timeoutMs,
        retryAfterSeconds,
        message: `Kafka did not accept the request within ${timeoutMs} ms; retry with the same idempotency key`,
      });
    },
  );

  // Jest fails the test during which a promise rejection goes unhandled (its sandbox's `process` does not
  // receive Node's 'unhandledRejection', so a listener here would hear nothing either way). The work is
  // failed, and Node given the turn in which it reports unhandled rejections, before the test ends.
  it('leaves no unhandled rejection behind when the work fails after the deadline', async () => {
    let fail: (error: Error) => void = () => undefined;
    const work = new Promise<never>((_resolve, reject) => (fail = reject));
    expect(await failureOf(withinDeadline(work, 10))).toBeInstanceOf(KafkaUnavailableError);
    fail(new Error('send failed at last'));
    await new Promise<void>((resolve) => setImmediate(resolve));
    await after(10, () => undefined);
  });
});
