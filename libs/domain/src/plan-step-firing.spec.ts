import type { ClaimedStep } from './enrollment-records';
import { planStepFiring } from './plan-step-firing';

const now = new Date('2026-03-04T14:00:00Z'); // a Wednesday
const definition = {
  targetType: 'contact',
  steps: [
    { delayMinutes: 0, channel: 'sms', content: 'one' },
    { delayMinutes: 60, channel: 'email', content: 'two' },
  ],
};
const claimed = (id: string, overrides: Partial<ClaimedStep> = {}): ClaimedStep => ({
  enrollmentId: id,
  accountId: `account-of-${id}`,
  contactId: `contact-of-${id}`,
  sequenceId: `sequence-of-${id}`,
  sequenceVersion: 1,
  stepIndex: 0,
  targetType: 'contact',
  targetId: `contact-of-${id}`,
  dueAt: now,
  definition,
  timeZone: 'UTC',
  accountSendWindow: null,
  optedOut: false,
  ...overrides,
});
const ctx = { now, newId: () => 'new-id' };

describe('planStepFiring parks a step, and plans the rest of its batch, when the step has', () => {
  it.each<[string, Partial<ClaimedStep>, string, string]>([
    [
      'a send window and an account time zone Intl does not know',
      {
        timeZone: 'Mars/Olympus',
        definition: { ...definition, sendWindow: { days: [3], startHour: 0, endHour: 24 } },
      },
      'invalid_time_zone',
      'account time zone "Mars/Olympus" is not an IANA time zone',
    ],
    [
      'a step index past the pinned version’s last step',
      { stepIndex: 2 },
      'step_out_of_range',
      'version 1 of sequence sequence-of-bad has 2 steps; step 2 does not exist',
    ],
    [
      'a pinned definition whose steps are not steps',
      { definition: { steps: 'one, two' } },
      'invalid_definition',
      'version 1 of sequence sequence-of-bad: steps:',
    ],
    [
      'a pinned definition that is not an object',
      { definition: null },
      'invalid_definition',
      '(definition):',
    ],
    [
      'a step on a channel that does not exist',
      { definition: { steps: [{ delayMinutes: 0, channel: 'pigeon', content: 'coo' }] } },
      'invalid_definition',
      'steps.0.channel:',
    ],
    [
      'a stored send window with equal hours (published before they were refused)',
      { definition: { ...definition, sendWindow: { days: [3], startHour: 9, endHour: 9 } } },
      'invalid_definition',
      'sendWindow.endHour: endHour must differ from startHour',
    ],
  ])('%s', (_name, bad, reason, detail) => {
    const plan = planStepFiring([claimed('bad', bad), claimed('good')], ctx);

    expect(plan.parked).toEqual([
      { enrollmentId: 'bad', accountId: 'account-of-bad', reason, detail: expect.stringContaining(detail) },
    ]);
    expect(plan.history.filter((h) => h.enrollmentId === 'bad')).toEqual([
      {
        accountId: 'account-of-bad',
        enrollmentId: 'bad',
        fromState: 'active',
        toState: 'active',
        cause: 'step_parked',
        stepIndex: bad.stepIndex ?? 0,
        details: { reason, detail: expect.stringContaining(detail) },
        at: now,
      },
    ]);
    expect(plan.commands.map((c) => c.commandId)).toEqual(['good:0']);
    expect(plan.advances.map((a) => a.enrollmentId)).toEqual(['good']);
    expect(plan.lifecycle.map((e) => [e.enrollmentId, e.type])).toEqual([['good', 'step_sent']]);
  });
});

describe('planStepFiring', () => {
  it('parks a step the planner throws on as planning_failed, with the error, and keeps what it planned for others', () => {
    const lastStep = claimed('last', { stepIndex: 1 });
    let calls = 0;
    const plan = planStepFiring([claimed('first'), lastStep, claimed('after')], {
      now,
      newId: () => {
        calls++;
        throw new Error('no ids left');
      },
    });

    expect(calls).toBe(1);
    expect(plan.parked).toEqual([
      {
        enrollmentId: 'last',
        accountId: 'account-of-last',
        reason: 'planning_failed',
        detail: 'Error: no ids left',
      },
    ]);
    // Nothing half-planned of the failed step remains: no command, advance or event for it.
    expect(plan.commands.map((c) => c.commandId)).toEqual(['first:0', 'after:0']);
    expect(plan.advances.map((a) => a.enrollmentId)).toEqual(['first', 'after']);
    expect(plan.history.map((h) => [h.enrollmentId, h.cause])).toEqual([
      ['first', 'step_sent'],
      ['last', 'step_parked'],
      ['after', 'step_sent'],
    ]);
  });

  it('sends a step without a send window even when its account zone is unknown: the zone is never read', () => {
    const plan = planStepFiring([claimed('no-window', { timeZone: 'Mars/Olympus' })], ctx);
    expect(plan.parked).toEqual([]);
    expect(plan.commands.map((c) => c.commandId)).toEqual(['no-window:0']);
  });

  it('ignores definition keys it does not read, so a field added later never parks a step', () => {
    const plan = planStepFiring(
      [claimed('newer', { definition: { ...definition, someFutureField: true } })],
      ctx,
    );
    expect(plan.parked).toEqual([]);
    expect(plan.commands.map((c) => c.commandId)).toEqual(['newer:0']);
  });

  it('defers a step due at 14:00 under an overnight 22 → 6 window to 22:00, and sends one due at 02:00', () => {
    const overnight = { ...definition, sendWindow: { days: [1, 2, 3, 4, 5], startHour: 22, endHour: 6 } };
    const afternoon = planStepFiring([claimed('afternoon', { definition: overnight })], ctx);
    expect(afternoon.deferrals).toEqual([
      { enrollmentId: 'afternoon', until: new Date('2026-03-04T22:00:00Z') },
    ]);
    expect(afternoon.commands).toEqual([]);

    const night = new Date('2026-03-05T02:00:00Z');
    const small = planStepFiring([claimed('night', { definition: overnight })], {
      now: night,
      newId: () => 'id',
    });
    expect(small.deferrals).toEqual([]);
    expect(small.commands.map((c) => c.commandId)).toEqual(['night:0']);
  });
});

describe('planStepFiring, for a contact that opted out after it was enrolled', () => {
  it('sends nothing and exits the enrollment (exit:opted_out), even for a row it would otherwise park', () => {
    const plan = planStepFiring(
      [
        claimed('gone', { optedOut: true }),
        claimed('bad-too', { optedOut: true, stepIndex: 9 }),
        claimed('ok'),
      ],
      ctx,
    );
    expect(plan.commands.map((c) => c.enrollmentId)).toEqual(['ok']);
    expect(plan.parked).toEqual([]);
    expect(plan.advances.filter((a) => a.state === 'exited')).toEqual([
      {
        enrollmentId: 'gone',
        nextStepIndex: 0,
        nextDueAt: null,
        state: 'exited',
        endReason: 'exit:opted_out',
      },
      {
        enrollmentId: 'bad-too',
        nextStepIndex: 9,
        nextDueAt: null,
        state: 'exited',
        endReason: 'exit:opted_out',
      },
    ]);
    expect(plan.lifecycle.filter((e) => e.type === 'exited').map((e) => [e.enrollmentId, e.reason])).toEqual([
      ['gone', 'exit:opted_out'],
      ['bad-too', 'exit:opted_out'],
    ]);
  });
});
