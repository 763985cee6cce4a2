import { effectiveSendWindow } from './default-send-window';
import type { ClaimedStep } from './enrollment-records';
import { planStepFiring } from './plan-step-firing';

const weekdays = { days: [1, 2, 3, 4, 5], startHour: 9, endHour: 18 };
const nights = { days: [0, 1, 2, 3, 4, 5, 6], startHour: 22, endHour: 6 };

describe('effectiveSendWindow: the sequence window, else the account default, else none', () => {
  it.each([
    ['the sequence has one and the account too: the sequence wins', weekdays, nights, weekdays],
    ['the sequence has none: the account default applies', undefined, nights, nights],
    ['the sequence has one, the account none', weekdays, null, weekdays],
    ['neither: any time', undefined, null, undefined],
  ])('%s', (_case, sequence, account, expected) => {
    expect(effectiveSendWindow(sequence, account)).toEqual(expected);
  });
});

describe('the step-runner honours the account default send window', () => {
  const now = new Date('2026-03-04T14:00:00Z'); // a Wednesday, 14:00 UTC
  const claimed = (overrides: Partial<ClaimedStep>): ClaimedStep => ({
    enrollmentId: 'e-1',
    accountId: 'a-1',
    contactId: 'c-1',
    sequenceId: 's-1',
    sequenceVersion: 1,
    stepIndex: 0,
    targetType: 'contact',
    targetId: 'c-1',
    dueAt: now,
    definition: { steps: [{ delayMinutes: 0, channel: 'sms', content: 'hi' }] },
    timeZone: 'UTC',
    accountSendWindow: null,
    optedOut: false,
    ...overrides,
  });
  const ctx = { now, newId: () => 'id' };

  it('defers a step of a sequence without a window to the opening of the account default', () => {
    const plan = planStepFiring([claimed({ accountSendWindow: nights })], ctx);
    expect(plan.commands).toEqual([]);
    expect(plan.deferrals).toEqual([{ enrollmentId: 'e-1', until: new Date('2026-03-04T22:00:00Z') }]);
  });

  it("sends now under the sequence's own window even when the account default is closed", () => {
    const plan = planStepFiring(
      [
        claimed({
          accountSendWindow: nights,
          definition: { steps: [{ delayMinutes: 0, channel: 'sms', content: 'hi' }], sendWindow: weekdays },
        }),
      ],
      ctx,
    );
    expect(plan.deferrals).toEqual([]);
    expect(plan.commands).toHaveLength(1);
  });

  it('parks the step when the stored account default is not a send window (never sends outside it)', () => {
    const plan = planStepFiring([claimed({ accountSendWindow: { days: [], startHour: 9 } })], ctx);
    expect(plan.commands).toEqual([]);
    expect(plan.parked).toEqual([
      expect.objectContaining({
        reason: 'invalid_definition',
        detail: expect.stringMatching(/default send window/),
      }),
    ]);
  });
});
