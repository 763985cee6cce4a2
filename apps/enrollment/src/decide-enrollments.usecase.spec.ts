import { enrollCommand, type EnrollCommand } from '@cadence/contracts';
import { ManualClock, sequenceDefinitionSchema } from '@cadence/domain';
import { Metrics, createLogger } from '@cadence/observability';
import { InMemoryDatabase } from '@cadence/testing';
import { DecideEnrollmentsUseCase } from './decide-enrollments.usecase';
import { DecisionMetrics } from './decision-metrics';

const ACCOUNT = '00000000-0000-4000-8000-00000000000a';
const SEQUENCE = '00000000-0000-4000-8000-00000000000b';
const NOW = new Date('2026-03-02T10:00:00Z');

const command = (commandId: string, contactId = 'c-1'): EnrollCommand =>
  enrollCommand({
    commandId,
    accountId: ACCOUNT,
    contactId,
    sequenceId: SEQUENCE,
    method: 'api',
    requestedAt: NOW.getTime(),
  });

function setup() {
  const db = new InMemoryDatabase();
  db.addAccount(ACCOUNT);
  db.addSequence({
    id: SEQUENCE,
    accountId: ACCOUNT,
    definition: sequenceDefinitionSchema.parse({
      targetType: 'contact',
      steps: [{ delayMinutes: 30, channel: 'email', content: 'hello' }],
    }),
  });
  const metrics = new Metrics();
  const sut = new DecideEnrollmentsUseCase(
    db.accountDirectory,
    db.sequenceCatalog,
    db,
    db,
    new DecisionMetrics(metrics),
    new ManualClock(NOW),
    createLogger('test', 'silent'),
  );
  const decisionsCounted = async (reason: string): Promise<number> => {
    const metric = await metrics.registry.getSingleMetric('cadence_enrollment_decisions_total')?.get();
    return (metric?.values ?? [])
      .filter((v) => v.labels.reason === reason)
      .reduce((sum, v) => sum + v.value, 0);
  };
  return { sut, mocks: { db, decisionsCounted } };
}

describe('DecideEnrollmentsUseCase', () => {
  it('decides a new batch in one transaction (the optimistic path)', async () => {
    const { sut, mocks } = setup();
    const events = await sut.execute([command('r1'), command('r2'), command('r3', 'c-2')]);

    expect(mocks.db.transactions).toEqual({ committed: 1, rolledBack: 0 });
    expect(mocks.db.tables.decisions.map((d) => [d.requestId, d.reason])).toEqual([
      ['r1', 'enrolled'],
      ['r2', 'duplicate'],
      ['r3', 'enrolled'],
    ]);
    expect(mocks.db.tables.enrollments.map((e) => [e.contactId, e.state, e.nextStepDueAt])).toEqual([
      ['c-1', 'active', new Date('2026-03-02T10:30:00Z')],
      ['c-2', 'active', new Date('2026-03-02T10:30:00Z')],
    ]);
    expect(mocks.db.tables.history).toHaveLength(2);
    expect(events.map((e) => [e.requestId, e.type])).toEqual([
      ['r1', 'started'],
      ['r2', 'ignored'],
      ['r3', 'started'],
    ]);
    expect(await mocks.decisionsCounted('enrolled')).toBe(2);
    expect(await mocks.decisionsCounted('duplicate')).toBe(1);
  });

  it('never decides a request twice: a redelivered one is answered from its stored decision', async () => {
    const { sut, mocks } = setup();
    const [first] = await sut.execute([command('r1')]);

    const events = await sut.execute([command('r1'), command('r2', 'c-2')]);

    // The optimistic attempt found r1 decided and rolled back; the second attempt decided r2 alone.
    expect(mocks.db.transactions).toEqual({ committed: 2, rolledBack: 1 });
    expect(mocks.db.tables.decisions.map((d) => d.requestId)).toEqual(['r1', 'r2']);
    expect(mocks.db.tables.enrollments).toHaveLength(2);
    expect(events.map((e) => [e.requestId, e.type])).toEqual([
      ['r1', 'started'],
      ['r2', 'started'],
    ]);
    // The same event again (same id, version and enrollment), so a crash before publishing loses nothing.
    expect(events[0]).toEqual(first);
    expect(await mocks.decisionsCounted('enrolled')).toBe(2);
  });

  it('decides again from fresh reads when another lane took the live slot first', async () => {
    const { sut, mocks } = setup();
    mocks.db.beforeNextTransaction(() =>
      mocks.db.insertLive({
        id: 'winner',
        accountId: ACCOUNT,
        sequenceId: SEQUENCE,
        sequenceVersion: 1,
        contactId: 'c-1',
        targetType: 'contact',
        targetId: 'c-1',
        method: 'automation',
        requestId: 'other-lane',
        nextStepDueAt: null,
        createdAt: NOW,
      }),
    );

    const events = await sut.execute([command('r1')]);

    expect(mocks.db.transactions).toEqual({ committed: 1, rolledBack: 1 });
    expect(mocks.db.tables.decisions).toEqual([
      expect.objectContaining({
        requestId: 'r1',
        reason: 'duplicate',
        relatedId: 'winner',
        enrollmentId: null,
      }),
    ]);
    expect(mocks.db.tables.enrollments.map((e) => e.id)).toEqual(['winner']);
    expect(events.map((e) => [e.type, e.reason])).toEqual([['ignored', 'duplicate']]);
  });

  it('writes nothing and counts nothing when the transaction fails for another reason', async () => {
    const { sut, mocks } = setup();
    mocks.db.beforeNextTransaction(() => {
      throw new Error('connection reset');
    });

    await expect(sut.execute([command('r1')])).rejects.toThrow('connection reset');
    expect(mocks.db.tables.decisions).toEqual([]);
    expect(await mocks.decisionsCounted('enrolled')).toBe(0);
  });
});
