import type { OutboundMessageCommand } from '@cadence/contracts';
import { ManualClock, sequenceDefinitionSchema } from '@cadence/domain';
import { Metrics, createLogger } from '@cadence/observability';
import { LifecycleMetrics } from '@cadence/runtime';
import { InMemoryDatabase, InMemoryPublisher } from '@cadence/testing';
import { FireDueStepsUseCase } from './fire-due-steps.usecase';
import { StepRunnerMetrics } from './step-runner-metrics';

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
  const metrics = new Metrics();
  const sut = new FireDueStepsUseCase(
    db,
    outbound,
    new LifecycleMetrics(metrics),
    new StepRunnerMetrics(metrics),
    clock,
    createLogger('fire-due-steps-spec', 'silent'),
  );
  const enrollment = (id = 'e-1') => db.tables.enrollments.find((e) => e.id === id);
  const parkedTotal = async (reason: string) => {
    const [counter] = (await metrics.registry.getMetricsAsJSON()).filter(
      (m) => m.name === 'cadence_steps_parked_total',
    );
    return counter?.values.find((v) => v.labels.reason === reason)?.value;
  };
  return { sut, mocks: { db, outbound, clock, enrollment, parkedTotal } };
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

  describe('a step that cannot be planned is parked, and the rest of the batch fires in the same pass', () => {
    const OTHER_ACCOUNT = '00000000-0000-4000-8000-0000000000aa';

    /** A second tenant whose step fell due a minute after e-1, so it is claimed behind it. */
    function withSecondTenant(badTimeZone: string | undefined) {
      // Open all day: the window is there so that the account's zone is read.
      const fixture = setup({ sendWindow: { days: [0, 1, 2, 3, 4, 5, 6], startHour: 0, endHour: 24 } });
      const { db } = fixture.mocks;
      if (badTimeZone) db.addAccount(ACCOUNT, { timeZone: badTimeZone });
      db.addAccount(OTHER_ACCOUNT, { timeZone: 'Europe/Berlin' });
      db.addSequence({
        id: '00000000-0000-4000-8000-0000000000bb',
        accountId: OTHER_ACCOUNT,
        definition: sequenceDefinitionSchema.parse({
          targetType: 'contact',
          steps: [{ delayMinutes: 0, channel: 'whatsapp', content: 'hello' }],
        }),
      });
      db.insertLive({
        id: 'e-2',
        accountId: OTHER_ACCOUNT,
        sequenceId: '00000000-0000-4000-8000-0000000000bb',
        sequenceVersion: 1,
        contactId: 'c-2',
        targetType: 'contact',
        targetId: 'c-2',
        method: 'api',
        requestId: 'r-2',
        nextStepDueAt: new Date(MONDAY_10H.getTime() - MINUTE),
        createdAt: MONDAY_10H,
      });
      // e-1 falls due first, so it is the row every pass claims first.
      const first = db.tables.enrollments.find((e) => e.id === 'e-1');
      if (first) first.nextStepDueAt = new Date(MONDAY_10H.getTime() - 2 * MINUTE);
      return fixture;
    }

    it('parks a windowed step whose account time zone is unknown and sends the other tenant’s step in the same pass', async () => {
      const { sut, mocks } = withSecondTenant('Mars/Olympus');

      expect(await sut.execute(100)).toBe(2);

      expect(mocks.outbound.published.map((c) => c.commandId)).toEqual(['e-2:0']);
      expect(mocks.enrollment('e-1')).toMatchObject({
        state: 'active',
        nextStepIndex: 0,
        nextStepDueAt: null,
        parkedReason: 'invalid_time_zone',
      });
      expect(mocks.enrollment('e-2')).toMatchObject({ state: 'completed' });
      expect(mocks.db.tables.history.filter((h) => h.enrollmentId === 'e-1')).toEqual([
        expect.objectContaining({
          cause: 'step_parked',
          stepIndex: 0,
          fromState: 'active',
          toState: 'active',
          details: {
            reason: 'invalid_time_zone',
            detail: expect.stringContaining('"Mars/Olympus"'),
          },
        }),
      ]);
      expect(mocks.db.transactions).toEqual({ committed: 1, rolledBack: 0 });
      expect(await mocks.parkedTotal('invalid_time_zone')).toBe(1);
    });

    it('parks a step whose index is past the pinned version’s last step, and claims it no more', async () => {
      const { sut, mocks } = withSecondTenant(undefined);
      const broken = mocks.enrollment('e-1');
      if (broken) broken.nextStepIndex = 7;

      expect(await sut.execute(100)).toBe(2);
      expect(mocks.outbound.published.map((c) => c.commandId)).toEqual(['e-2:0']);
      expect(mocks.enrollment('e-1')).toMatchObject({
        nextStepDueAt: null,
        parkedReason: 'step_out_of_range',
      });
      expect(mocks.db.tables.history.find((h) => h.enrollmentId === 'e-1')?.details).toEqual({
        reason: 'step_out_of_range',
        detail: expect.stringContaining('has 2 steps; step 7 does not exist'),
      });

      mocks.clock.advance(24 * 60 * MINUTE);
      expect(await sut.execute(100)).toBe(0);
      expect(await mocks.parkedTotal('step_out_of_range')).toBe(1);
    });

    it('counts every park reason from zero before anything is parked', async () => {
      const { mocks } = setup();
      expect(await mocks.parkedTotal('invalid_time_zone')).toBe(0);
      expect(await mocks.parkedTotal('invalid_definition')).toBe(0);
      expect(await mocks.parkedTotal('step_out_of_range')).toBe(0);
      expect(await mocks.parkedTotal('planning_failed')).toBe(0);
    });
  });
});
