import { decideTransition, type EnrollmentSnapshot, type TransitionRequest } from './enrollment-transition';
import { sequenceDefinitionSchema } from './sequence-definition';

const now = new Date('2026-03-01T12:00:00Z');
const definition = (resumePolicy: 'send_now' | 'skip') =>
  sequenceDefinitionSchema.parse({
    targetType: 'contact',
    resumePolicy,
    exitRules: ['replied'],
    steps: [
      { delayMinutes: 0, channel: 'sms', content: 'one' },
      { delayMinutes: 60, channel: 'sms', content: 'two' },
      { delayMinutes: 120, channel: 'email', content: 'three' },
    ],
  });
const snapshot = (overrides: Partial<EnrollmentSnapshot> = {}): EnrollmentSnapshot => ({
  state: 'active',
  nextStepIndex: 1,
  nextStepDueAt: new Date('2026-03-01T13:00:00Z'),
  definition: definition('send_now'),
  ...overrides,
});
const overdue = new Date('2026-03-01T11:00:00Z');

describe('decideTransition', () => {
  it.each<[string, Partial<EnrollmentSnapshot>, TransitionRequest, string, string | null]>([
    ['pause an active enrollment', {}, { kind: 'pause' }, 'apply', 'paused'],
    ['pause a paused one', { state: 'paused' }, { kind: 'pause' }, 'noop', null],
    ['resume a paused one', { state: 'paused' }, { kind: 'resume' }, 'apply', 'active'],
    ['resume an active one', {}, { kind: 'resume' }, 'noop', null],
    ['cancel an active one', {}, { kind: 'cancel' }, 'apply', 'cancelled'],
    ['cancel a paused one', { state: 'paused' }, { kind: 'cancel' }, 'apply', 'cancelled'],
    ['cancel a completed one', { state: 'completed' }, { kind: 'cancel' }, 'noop', null],
    ['exit on a rule of the pinned version', {}, { kind: 'exit', rule: 'replied' }, 'apply', 'exited'],
    ['exit a paused one', { state: 'paused' }, { kind: 'exit', rule: 'replied' }, 'apply', 'exited'],
    ['exit on a rule the version lacks', {}, { kind: 'exit', rule: 'deal_won' }, 'noop', null],
    ['exit an exited one', { state: 'exited' }, { kind: 'exit', rule: 'replied' }, 'noop', null],
  ])('%s', (_name, overrides, request, kind, toState) => {
    const outcome = decideTransition(snapshot(overrides), request, now);
    expect(outcome.kind).toBe(kind);
    if (outcome.kind === 'apply') expect(outcome.toState).toBe(toState);
  });

  it('resume with send_now keeps an overdue step due, so it fires at once', () => {
    const outcome = decideTransition(
      snapshot({ state: 'paused', nextStepDueAt: overdue }),
      { kind: 'resume' },
      now,
    );
    expect(outcome).toMatchObject({
      kind: 'apply',
      toState: 'active',
      nextStepIndex: 1,
      nextStepDueAt: overdue,
    });
  });

  it('resume with skip moves past an overdue step and schedules the next from now', () => {
    const outcome = decideTransition(
      snapshot({ state: 'paused', nextStepDueAt: overdue, definition: definition('skip') }),
      { kind: 'resume' },
      now,
    );
    expect(outcome).toMatchObject({
      kind: 'apply',
      toState: 'active',
      nextStepIndex: 2,
      nextStepDueAt: new Date('2026-03-01T14:00:00Z'),
      cause: 'resumed:skipped_step_1',
    });
  });

  it('resume with skip past the last step completes the enrollment', () => {
    const outcome = decideTransition(
      snapshot({ state: 'paused', nextStepIndex: 2, nextStepDueAt: overdue, definition: definition('skip') }),
      { kind: 'resume' },
      now,
    );
    expect(outcome).toMatchObject({ kind: 'apply', toState: 'completed', nextStepDueAt: null });
  });

  it('resume with skip leaves a step that is not yet due alone', () => {
    const outcome = decideTransition(
      snapshot({ state: 'paused', definition: definition('skip') }),
      { kind: 'resume' },
      now,
    );
    expect(outcome).toMatchObject({ kind: 'apply', toState: 'active', nextStepIndex: 1 });
  });
});
