import { cancelCommand, exitCommand, pauseCommand, resumeCommand, type TargetRef } from '@cadence/contracts';
import { ManualClock, sequenceDefinitionSchema } from '@cadence/domain';
import { Metrics, createLogger } from '@cadence/observability';
import { LifecycleMetrics } from '@cadence/runtime';
import { InMemoryDatabase } from '@cadence/testing';
import { ApplyTransitionsUseCase } from './apply-transitions.usecase';

const ACCOUNT = '00000000-0000-4000-8000-00000000000a';
const CONTACT_SEQUENCE = '00000000-0000-4000-8000-00000000000b';
const CHARGE_SEQUENCE = '00000000-0000-4000-8000-00000000000c';
const ENROLLED_AT = new Date('2026-03-02T10:00:00Z');
const NOW = new Date('2026-03-02T11:00:00Z');
const base = { accountId: ACCOUNT, contactId: 'c-1', requestedAt: NOW.getTime() };

function setup() {
  const db = new InMemoryDatabase();
  db.addAccount(ACCOUNT);
  const steps = [
    { delayMinutes: 0, channel: 'sms', content: 'a' },
    { delayMinutes: 60, channel: 'sms', content: 'b' },
  ];
  db.addSequence({
    id: CONTACT_SEQUENCE,
    accountId: ACCOUNT,
    definition: sequenceDefinitionSchema.parse({ targetType: 'contact', steps, exitRules: ['replied'] }),
  });
  db.addSequence({
    id: CHARGE_SEQUENCE,
    accountId: ACCOUNT,
    definition: sequenceDefinitionSchema.parse({ targetType: 'charge', steps, exitRules: ['charge_paid'] }),
  });
  const enroll = (id: string, sequenceId: string, target: TargetRef) =>
    db.insertLive({
      id,
      accountId: ACCOUNT,
      sequenceId,
      sequenceVersion: 1,
      contactId: 'c-1',
      targetType: target.type,
      targetId: target.id,
      method: 'api',
      requestId: `request-${id}`,
      nextStepDueAt: new Date('2026-03-02T12:00:00Z'),
      createdAt: ENROLLED_AT,
    });
  const sut = new ApplyTransitionsUseCase(
    db,
    new LifecycleMetrics(new Metrics()),
    new ManualClock(NOW),
    createLogger('test', 'silent'),
  );
  const stateOf = (id: string) => db.tables.enrollments.find((e) => e.id === id)?.state;
  return { sut, mocks: { db, enroll, stateOf } };
}

describe('ApplyTransitionsUseCase', () => {
  it('applies a batch in order, as if one by one, in one transaction', async () => {
    const { sut, mocks } = setup();
    mocks.enroll('e-1', CONTACT_SEQUENCE, { type: 'contact', id: 'c-1' });

    const changed = await sut.execute([
      pauseCommand({ ...base, commandId: 'p', enrollmentId: 'e-1' }),
      cancelCommand({ ...base, commandId: 'x', enrollmentId: 'e-1', provenance: { userId: 'u-1' } }),
    ]);

    expect(changed).toBe(1);
    expect(mocks.stateOf('e-1')).toBe('cancelled');
    expect(mocks.db.transactions).toEqual({ committed: 1, rolledBack: 0 });
    expect(mocks.db.tables.history.map((h) => [h.fromState, h.toState, h.details])).toEqual([
      ['active', 'paused', { requestId: 'p', provenance: {} }],
      ['paused', 'cancelled', { requestId: 'x', provenance: { userId: 'u-1' } }],
    ]);
    expect(mocks.db.tables.outbox.map((e) => [e.type, e.requestId, e.enrollmentId])).toEqual([
      ['paused', 'p', 'e-1'],
      ['cancelled', 'x', 'e-1'],
    ]);
  });

  it('changes nothing the second time a command is delivered', async () => {
    const { sut, mocks } = setup();
    mocks.enroll('e-1', CONTACT_SEQUENCE, { type: 'contact', id: 'c-1' });
    const pause = pauseCommand({ ...base, commandId: 'p', enrollmentId: 'e-1' });

    expect(await sut.execute([pause])).toBe(1);
    expect(await sut.execute([pause])).toBe(0);
    expect(mocks.db.tables.history).toHaveLength(1);
    expect(mocks.db.tables.outbox).toHaveLength(1);

    expect(await sut.execute([resumeCommand({ ...base, commandId: 'r', enrollmentId: 'e-1' })])).toBe(1);
    expect(mocks.stateOf('e-1')).toBe('active');
  });

  it('ends the enrollment of the object an exit names, not those of the same contact on other objects', async () => {
    const { sut, mocks } = setup();
    mocks.enroll('charge-a', CHARGE_SEQUENCE, { type: 'charge', id: 'A' });
    mocks.enroll('charge-b', CHARGE_SEQUENCE, { type: 'charge', id: 'B' });
    mocks.enroll('contact', CONTACT_SEQUENCE, { type: 'contact', id: 'c-1' });

    await sut.execute([
      exitCommand({ ...base, commandId: 'paid-a', rule: 'charge_paid', target: { type: 'charge', id: 'A' } }),
    ]);

    expect([mocks.stateOf('charge-a'), mocks.stateOf('charge-b'), mocks.stateOf('contact')]).toEqual([
      'exited',
      'active',
      'active', // its pinned version does not list charge_paid
    ]);
    expect(mocks.db.tables.enrollments.find((e) => e.id === 'charge-a')?.endReason).toBe('exit:charge_paid');
  });

  it('does not end an enrollment made after the exit was requested', async () => {
    const { sut, mocks } = setup();
    mocks.enroll('e-1', CONTACT_SEQUENCE, { type: 'contact', id: 'c-1' });

    const changed = await sut.execute([
      exitCommand({
        ...base,
        commandId: 'early-reply',
        rule: 'replied',
        requestedAt: ENROLLED_AT.getTime() - 1,
      }),
    ]);

    expect(changed).toBe(0);
    expect(mocks.stateOf('e-1')).toBe('active');
  });
});
