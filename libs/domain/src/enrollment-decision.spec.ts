import type { EnrollmentMethod } from '@cadence/contracts';
import { decideEnrollment, type DecisionInput, type SequenceFacts } from './enrollment-decision';
import { isOneOf } from '@cadence/contracts';
import { REASON_CODES, REQUEST_REFUSAL_REASONS, type ReasonCode } from './reason-codes';
import { sequenceDefinitionSchema, type Trigger } from './sequence-definition';

const definition = (trigger: Trigger | null, targetType: 'contact' | 'charge' = 'contact') =>
  sequenceDefinitionSchema.parse({
    targetType,
    triggers: trigger ? [trigger] : [],
    steps: [{ delayMinutes: 0, channel: 'sms', content: 'hi' }],
  });

const NOW = new Date('2026-03-02T10:00:00Z');
const minutesAgo = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000);
const withReentry = (reentry: unknown) =>
  sequence({
    definition: sequenceDefinitionSchema.parse({
      targetType: 'contact',
      steps: [{ delayMinutes: 0, channel: 'sms', content: 'hi' }],
      reentry,
    }),
  });

const sequence = (overrides: Partial<SequenceFacts> = {}): SequenceFacts => ({
  id: 'seq-1',
  active: true,
  publishedVersion: 3,
  definition: definition(null),
  ...overrides,
});

const input = (
  overrides: Partial<DecisionInput> = {},
  method: EnrollmentMethod = 'manual',
): DecisionInput => ({
  request: {
    requestId: 'req-1',
    contactId: 'c-1',
    method,
    target: { type: 'contact', id: 'c-1' },
    maestroVerdict: null,
  },
  account: { automationModuleEnabled: true, maestroEnabled: true },
  sequence: sequence(),
  liveEnrollmentId: null,
  earlierDecision: null,
  optedOut: false,
  lastEndedAt: null,
  capRemaining: null,
  now: NOW,
  ...overrides,
});

const withRequest = (
  method: EnrollmentMethod,
  overrides: Partial<DecisionInput['request']> = {},
  rest: Partial<DecisionInput> = {},
) => {
  const base = input(rest, method);
  return { ...base, request: { ...base.request, ...overrides } };
};

const eventTrigger: Trigger = { type: 'event', eventType: 'charge.overdue' };
const inactivityTrigger: Trigger = { type: 'inactivity', limitMinutes: 60, statuses: ['open', 'pending'] };
const aiTrigger: Trigger = { type: 'ai', cue: { kind: 'event', eventType: 'conversation.resolved' } };

const cases: Array<[string, DecisionInput, ReasonCode]> = [
  ['manual enroll into a published, active sequence', input(), 'enrolled'],
  [
    'AI enroll the Maestro approved',
    withRequest(
      'ai',
      { maestroVerdict: 'yes' },
      { sequence: sequence({ definition: definition(aiTrigger) }) },
    ),
    'enrolled',
  ],
  [
    'AI enroll while the Maestro is unavailable (fail-open)',
    withRequest(
      'ai',
      { maestroVerdict: 'unavailable' },
      { sequence: sequence({ definition: definition(aiTrigger) }) },
    ),
    'enrolled_maestro_unavailable',
  ],
  [
    'AI enroll that never reached the Maestro (fail-open)',
    withRequest(
      'ai',
      { maestroVerdict: null },
      { sequence: sequence({ definition: definition(aiTrigger) }) },
    ),
    'enrolled_maestro_unavailable',
  ],
  ['a live enrollment for the same key', input({ liveEnrollmentId: 'enr-9' }), 'duplicate'],
  ['a repeated idempotency key', input({ earlierDecision: { requestId: 'req-0' } }), 'idempotent_replay'],
  ['an unknown account', input({ account: null }), 'account_not_found'],
  ['an unknown sequence', input({ sequence: null }), 'sequence_not_found'],
  [
    'a sequence never published',
    input({ sequence: sequence({ publishedVersion: null, definition: null }) }),
    'sequence_not_published',
  ],
  ['an inactive sequence', input({ sequence: sequence({ active: false }) }), 'sequence_inactive'],
  ['an event enroll into a sequence without an event trigger', input({}, 'event'), 'trigger_mismatch'],
  [
    'an inactivity enroll into an event-triggered sequence',
    input({ sequence: sequence({ definition: definition(eventTrigger) }) }, 'inactivity'),
    'trigger_mismatch',
  ],
  ['an AI enroll into a sequence without an AI trigger', input({}, 'ai'), 'trigger_mismatch'],
  [
    'an event enroll that would bypass an AI gate',
    input({ sequence: sequence({ definition: definition(aiTrigger) }) }, 'event'),
    'trigger_mismatch',
  ],
  [
    'a charge sequence asked to enroll the contact itself',
    input({ sequence: sequence({ definition: definition(null, 'charge') }) }),
    'target_mismatch',
  ],
  [
    'an automation enroll without the Automation/Flow module',
    input({ account: { automationModuleEnabled: false, maestroEnabled: true } }, 'automation'),
    'module_disabled',
  ],
  [
    'an AI enroll on an account without the Maestro',
    withRequest(
      'ai',
      { maestroVerdict: 'yes' },
      {
        account: { automationModuleEnabled: true, maestroEnabled: false },
        sequence: sequence({ definition: definition(aiTrigger) }),
      },
    ),
    'maestro_disabled',
  ],
  [
    'an AI enroll the Maestro declined',
    withRequest(
      'ai',
      { maestroVerdict: 'no' },
      { sequence: sequence({ definition: definition(aiTrigger) }) },
    ),
    'maestro_declined',
  ],
  ['a contact that opted out', input({ optedOut: true }), 'contact_opted_out'],
  [
    'a contact enrolled before, into a sequence without re-entry',
    input({ sequence: withReentry({ policy: 'never' }), lastEndedAt: minutesAgo(60 * 24 * 365) }),
    'reentry_not_allowed',
  ],
  [
    'a contact whose last enrollment ended within the cooldown',
    input({
      sequence: withReentry({ policy: 'cooldown', cooldownMinutes: 60 }),
      lastEndedAt: minutesAgo(59),
    }),
    'reentry_cooldown',
  ],
  ['a sequence that took its daily cap', input({ capRemaining: 0 }), 'daily_cap_reached'],
];

describe('decideEnrollment', () => {
  it.each(cases)('%s → %s', (_name, decisionInput, expected) => {
    expect(decideEnrollment(decisionInput).reason).toBe(expected);
  });

  it('covers every reason code but those of requests refused before any decision', () => {
    const decidable = REASON_CODES.filter((reason) => !isOneOf(REQUEST_REFUSAL_REASONS, reason));
    expect(new Set(cases.map(([, , reason]) => reason))).toEqual(new Set(decidable));
  });

  it('lets a contact in again after the cooldown, always under "always", and first of all without a past', () => {
    const cooldown = withReentry({ policy: 'cooldown', cooldownMinutes: 60 });
    expect(decideEnrollment(input({ sequence: cooldown, lastEndedAt: minutesAgo(60) })).reason).toBe(
      'enrolled',
    );
    expect(decideEnrollment(input({ lastEndedAt: minutesAgo(1) })).reason).toBe('enrolled');
    expect(decideEnrollment(input({ sequence: withReentry({ policy: 'never' }) })).reason).toBe('enrolled');
    expect(decideEnrollment(input({ capRemaining: 1 })).reason).toBe('enrolled');
  });

  it('refuses a cooldown policy without its minutes, and an unknown policy, by field', () => {
    const parse = (reentry: unknown) =>
      sequenceDefinitionSchema.safeParse({
        targetType: 'contact',
        steps: [{ delayMinutes: 0, channel: 'sms', content: 'hi' }],
        reentry,
      }).success;
    expect(parse({ policy: 'cooldown' })).toBe(false);
    expect(parse({ policy: 'sometimes' })).toBe(false);
    expect(parse({ policy: 'never', cooldownMinutes: 5 })).toBe(false);
  });

  it.each<[EnrollmentMethod, Trigger | null]>([
    ['manual', null],
    ['bulk', eventTrigger],
    ['api', inactivityTrigger],
    ['automation', aiTrigger],
    ['macro', null],
    ['flow', null],
    ['event', eventTrigger],
    ['inactivity', inactivityTrigger],
  ])('%s enrolls into a sequence triggered by %j', (method, trigger) => {
    const decision = decideEnrollment(
      input({ sequence: sequence({ definition: definition(trigger) }) }, method),
    );
    expect(decision.outcome).toBe('enrolled');
  });

  it('allows each automatic method when the sequence lists its trigger among several', () => {
    const several = sequenceDefinitionSchema.parse({
      targetType: 'contact',
      triggers: [eventTrigger, inactivityTrigger, aiTrigger],
      steps: [{ delayMinutes: 0, channel: 'sms', content: 'hi' }],
    });
    for (const method of ['event', 'inactivity', 'ai'] as const) {
      const decision = decideEnrollment(input({ sequence: sequence({ definition: several }) }, method));
      expect(decision.outcome).toBe('enrolled');
    }
  });

  it('pins the current published version and enrolls the requested target', () => {
    expect(decideEnrollment(input())).toEqual({
      outcome: 'enrolled',
      reason: 'enrolled',
      version: 3,
      target: { type: 'contact', id: 'c-1' },
    });
  });

  it('names the existing enrollment of a duplicate and the first request of a replay', () => {
    expect(decideEnrollment(input({ liveEnrollmentId: 'enr-9' }))).toEqual({
      outcome: 'ignored',
      reason: 'duplicate',
      relatedId: 'enr-9',
    });
    expect(decideEnrollment(input({ earlierDecision: { requestId: 'req-0' } }))).toEqual({
      outcome: 'ignored',
      reason: 'idempotent_replay',
      relatedId: 'req-0',
    });
  });

  it('treats a redelivery of the very first request as that request, not a replay', () => {
    expect(decideEnrollment(input({ earlierDecision: { requestId: 'req-1' } })).reason).toBe('enrolled');
  });
});
