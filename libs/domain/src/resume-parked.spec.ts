import { decideTransition } from './enrollment-transition';
import { sequenceDefinitionSchema } from './sequence-definition';

const now = new Date('2026-03-01T12:00:00Z');
const parkedSnapshot = (resumePolicy: 'send_now' | 'skip') => ({
  state: 'paused' as const,
  nextStepIndex: 1,
  nextStepDueAt: null,
  definition: sequenceDefinitionSchema.parse({
    targetType: 'contact',
    resumePolicy,
    steps: [
      { delayMinutes: 0, channel: 'sms', content: 'one' },
      { delayMinutes: 60, channel: 'sms', content: 'two' },
    ],
  }),
});

describe('resuming a parked enrollment (paused while its step had no due time)', () => {
  it.each(['send_now', 'skip'] as const)(
    'under the %s policy re-plans the parked step at once, neither skipping it nor leaving it undated',
    (policy) => {
      expect(decideTransition(parkedSnapshot(policy), { kind: 'resume' }, now)).toEqual({
        kind: 'apply',
        toState: 'active',
        cause: 'resumed:unparked',
        lifecycle: 'resumed',
        nextStepIndex: 1,
        nextStepDueAt: now,
      });
    },
  );

  it('pausing a parked enrollment keeps it out of the due index until it is resumed', () => {
    const active = { ...parkedSnapshot('send_now'), state: 'active' as const };
    expect(decideTransition(active, { kind: 'pause' }, now)).toMatchObject({
      kind: 'apply',
      toState: 'paused',
      nextStepIndex: 1,
      nextStepDueAt: null,
    });
  });
});
