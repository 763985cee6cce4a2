import { Readiness, type ReadinessCheck } from './readiness';

const readinessOf = (checks: Record<string, ReadinessCheck>, timeoutMs?: number) => {
  const readiness = new Readiness(timeoutMs);
  for (const [name, check] of Object.entries(checks)) readiness.register(name, check);
  return readiness;
};

describe('Readiness', () => {
  it('is ready when every check is ok', async () => {
    const readiness = readinessOf({
      database: () => true,
      kafka: async () => ({ ok: true }),
      registry: () => ({ ok: true, detail: 'answered in 3 ms' }),
    });
    expect(await readiness.report()).toEqual({
      ready: true,
      components: {
        database: { ok: true },
        kafka: { ok: true },
        registry: { ok: true, detail: 'answered in 3 ms' },
      },
    });
  });

  it('is ready with no checks registered', async () => {
    expect(await new Readiness().report()).toEqual({ ready: true, components: {} });
  });

  it('is not ready when one check fails, and keeps the detail it gave', async () => {
    const readiness = readinessOf({
      database: () => true,
      kafka: async () => ({ ok: false, detail: 'no broker reachable at kafka-1:9093' }),
    });
    expect(await readiness.report()).toEqual({
      ready: false,
      components: {
        database: { ok: true },
        kafka: { ok: false, detail: 'no broker reachable at kafka-1:9093' },
      },
    });
  });

  it.each<[string, ReadinessCheck, { ok: boolean; detail?: string }]>([
    ['true', () => true, { ok: true }],
    ['false', () => false, { ok: false }],
    ['a promise of true', () => Promise.resolve(true), { ok: true }],
    ['a promise of false', () => Promise.resolve(false), { ok: false }],
    ['{ ok, detail }', () => ({ ok: false, detail: 'lagging' }), { ok: false, detail: 'lagging' }],
    ['a promise of { ok, detail }', async () => ({ ok: true, detail: 'fine' }), { ok: true, detail: 'fine' }],
  ])('takes a check answering %s', async (_answer, check, status) => {
    expect((await readinessOf({ check }).report()).components.check).toEqual(status);
  });

  it.each<[string, ReadinessCheck]>([
    [
      'throws',
      () => {
        throw new Error('connection terminated');
      },
    ],
    ['rejects', () => Promise.reject(new Error('connection terminated'))],
  ])('counts a check that %s as not ok, with its message', async (_how, check) => {
    expect(await readinessOf({ database: check, kafka: () => true }).report()).toEqual({
      ready: false,
      components: { database: { ok: false, detail: 'connection terminated' }, kafka: { ok: true } },
    });
  });

  it('counts a check that throws something other than an error as not ok, with that value', async () => {
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the case under test
    const readiness = readinessOf({ odd: () => Promise.reject('refused') });
    expect((await readiness.report()).components.odd).toEqual({ ok: false, detail: 'refused' });
  });

  it('counts a check that never answers as not ready once the timeout passed, and answers the others', async () => {
    const readiness = readinessOf(
      { registry: () => new Promise<boolean>(() => undefined), database: () => true },
      50,
    );
    const started = Date.now();
    const report = await readiness.report();
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(report).toEqual({
      ready: false,
      components: {
        registry: { ok: false, detail: 'registry did not answer within 50 ms' },
        database: { ok: true },
      },
    });
  });

  it('joins a check still running instead of starting it again', async () => {
    let calls = 0;
    let started: () => void = () => undefined;
    const running = new Promise<void>((resolve) => (started = resolve));
    let answer: (ok: boolean) => void = () => undefined;
    const readiness = readinessOf({
      kafka: () => {
        calls += 1;
        started();
        return new Promise<boolean>((resolve) => (answer = resolve));
      },
    });
    const first = readiness.report();
    const second = readiness.report();
    await running;
    const third = readiness.report();
    answer(true);
    const reports = await Promise.all([first, second, third]);
    expect(calls).toBe(1);
    for (const report of reports)
      expect(report).toEqual({ ready: true, components: { kafka: { ok: true } } });
  });

  it('runs the check again once the earlier run answered', async () => {
    let calls = 0;
    const readiness = readinessOf({ kafka: async () => ++calls > 1 });
    expect((await readiness.report()).ready).toBe(false);
    expect((await readiness.report()).ready).toBe(true);
    expect(calls).toBe(2);
  });

  it('runs the check again after a run that timed out', async () => {
    let calls = 0;
    const readiness = readinessOf(
      {
        kafka: () => {
          calls += 1;
          return calls === 1 ? new Promise<boolean>(() => undefined) : true;
        },
      },
      50,
    );
    expect((await readiness.report()).components.kafka).toEqual({
      ok: false,
      detail: 'kafka did not answer within 50 ms',
    });
    expect((await readiness.report()).components.kafka).toEqual({ ok: true });
    expect(calls).toBe(2);
  });
});
