import type { OutboundMessageCommand } from '@cadence/contracts';
import { ManualClock, sequenceDefinitionSchema } from '@cadence/domain';
import { Metrics } from '@cadence/observability';
import { LifecycleMetrics } from '@cadence/runtime';
import { InMemoryDatabase, InMemoryPublisher } from '@cadence/testing';
import { FireDueStepsUseCase } from './fire-due-steps.usecase';

const ACCOUNT = '00000000-0000-4000-8000-00000000000a';
const SEQUENCE = '00000000-0000-4000-8000-00000000000b';
const MONDAY_10H = new Date('2026-03-02T10:00:00Z');
const MINUTE = 60_000;

function setup(definition: object = {}) {
  const db = new InMemoryDatabase();
  db.addAccount(ACCOUNT);
  db.addSequence({
    id: SEQUENCE,
    accountId: ACCOUNT,
    definition: sequenceDefinitionSchema.parse({
      targetType: 'contact',
      steps: [
        { delayMinutes: 0, channel: 'sms', content: 'first' },
        { delayMinutes: 60, channel: 'email', content: 'second' },
      ],
      ...definition,
    }),
  });
  db.insertLive({
    id: 'e-1',
    accountId: ACCOUNT,
    sequenceId: SEQUENCE,
    sequenceVersion: 1,
    contactId: 'c-1',
    targetType: 'contact',
    targetId: 'c-1',
    method: 'api',
    requestId: 'r-1',
    nextStepDueAt: MONDAY_10H,
    createdAt: MONDAY_10H,
  });
  const outbound = new InMemoryPublisher<OutboundMessageCommand>();
  const clock = new ManualClock(MONDAY_10H);
  const sut = new FireDueStepsUseCase(db, outbound, new LifecycleMetrics(new Metrics()), clock);
  const enrollment = () => db.tables.enrollments.find((e) => e.id === 'e-1');
  return { sut, mocks: { db, outbound, clock, enrollment } };
}

describe('FireDueStepsUseCase', () => {
  it('sends a due step and moves the enrollment to the next one', async () => {
    const { sut, mocks } = setup();

    expect(await sut.execute(100)).toBe(1);

    expect(mocks.outbound.published).toEqual([
      expect.objectContaining({ commandId: 'e-1:0', channel: 'sms', content: 'first', stepIndex: 0 }),
    ]);
    expect(mocks.enrollment()).toMatchObject({
      state: 'active',
      nextStepIndex: 1,
      nextStepDueAt: new Date(MONDAY_10H.getTime() + 60 * MINUTE),
    });
    expect(mocks.db.tables.history.map((h) => h.cause)).toEqual(['step_sent']);
    expect(mocks.db.tables.outbox.map((e) => [e.id, e.type])).toEqual([['e-1:0:sent', 'step_sent']]);
  });

  it('completes the enrollment with its last step, and then finds nothing due', async () => {
    const { sut, mocks } = setup();
    await sut.execute(100);
    mocks.clock.advance(60 * MINUTE);

    expect(await sut.execute(100)).toBe(1);
    expect(mocks.enrollment()).toMatchObject({ state: 'completed', nextStepDueAt: null });
    expect(mocks.db.tables.outbox.map((e) => e.type)).toEqual(['step_sent', 'step_sent', 'completed']);

    mocks.clock.advance(24 * 60 * MINUTE);
    expect(await sut.execute(100)).toBe(0);
    expect(mocks.outbound.published.map((c) => c.commandId)).toEqual(['e-1:0', 'e-1:1']);
  });

  it('rolls the pass back when the channel command is not acknowledged, and sends the same id again', async () => {
    const { sut, mocks } = setup();
    mocks.outbound.failNext();

    await expect(sut.execute(100)).rejects.toThrow('broker unavailable');
    expect(mocks.enrollment()).toMatchObject({ nextStepIndex: 0, nextStepDueAt: MONDAY_10H });
    expect(mocks.db.tables.history).toEqual([]);
    expect(mocks.db.transactions.rolledBack).toBe(1);

    expect(await sut.execute(100)).toBe(1);
    expect(mocks.outbound.published.map((c) => c.commandId)).toEqual(['e-1:0']);
  });

  it('defers a step that falls due outside its send window to the next opening', async () => {
    const { sut, mocks } = setup({ sendWindow: { days: [1, 2, 3, 4, 5], startHour: 14, endHour: 18 } });

    expect(await sut.execute(100)).toBe(1);

    expect(mocks.outbound.published).toEqual([]);
    expect(mocks.enrollment()).toMatchObject({
      nextStepIndex: 0,
      nextStepDueAt: new Date('2026-03-02T14:00:00Z'),
    });
    expect(mocks.db.tables.history.map((h) => h.cause)).toEqual(['deferred_to_send_window']);
  });
});
