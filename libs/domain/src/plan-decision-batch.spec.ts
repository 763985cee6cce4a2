import { enrollCommand, type EnrollCommand } from '@cadence/contracts';
import { planDecisionBatch, type BatchAccount, type BatchFacts } from './plan-decision-batch';
import { sequenceDefinitionSchema } from './sequence-definition';

const ACCOUNT = '00000000-0000-0000-0000-00000000000a';
const SEQUENCE = '00000000-0000-0000-0000-00000000000b';

const command = (commandId: string, overrides: Partial<EnrollCommand> = {}): EnrollCommand => ({
  ...enrollCommand({
    commandId,
    accountId: ACCOUNT,
    contactId: 'c-1',
    sequenceId: SEQUENCE,
    method: 'manual',
    requestedAt: 0,
  }),
  ...overrides,
});

const facts = (overrides: Partial<BatchFacts> = {}): BatchFacts => ({
  accounts: new Map([[ACCOUNT, { automationModuleEnabled: true, maestroEnabled: false, timeZone: 'UTC' }]]),
  sequences: new Map([
    [
      SEQUENCE,
      {
        id: SEQUENCE,
        accountId: ACCOUNT,
        active: true,
        publishedVersion: 2,
        definition: sequenceDefinitionSchema.parse({
          targetType: 'contact',
          steps: [{ delayMinutes: 30, channel: 'email', content: 'hello' }],
        }),
      },
    ],
  ]),
  live: new Map(),
  firstRequestByKey: new Map(),
  optedOut: new Set(),
  lastEnded: new Map(),
  enrolledOnDay: new Map(),
  ...overrides,
});

let ids = 0;
const ctx = { now: new Date('2026-01-01T00:00:00Z'), newId: () => `id-${++ids}` };

describe('planDecisionBatch', () => {
  beforeEach(() => {
    ids = 0;
  });

  it('enrolls once per contact and makes later requests in the same batch duplicates of it', () => {
    const plan = planDecisionBatch(
      [command('r1'), command('r2'), command('r3', { contactId: 'c-2' })],
      facts(),
      ctx,
    );
    expect(plan.decisions.map((d) => [d.requestId, d.reason])).toEqual([
      ['r1', 'enrolled'],
      ['r2', 'duplicate'],
      ['r3', 'enrolled'],
    ]);
    expect(plan.enrollments).toHaveLength(2);
    expect(plan.decisions[1]!.relatedId).toBe(plan.enrollments[0]!.id);
    expect(plan.enrollments[0]).toMatchObject({
      sequenceVersion: 2,
      targetType: 'contact',
      targetId: 'c-1',
      nextStepDueAt: new Date('2026-01-01T00:30:00Z'),
    });
    expect(plan.history.map((h) => h.toState)).toEqual(['active', 'active']);
    expect(plan.lifecycle.map((e) => e.type)).toEqual(['started', 'ignored', 'started']);
  });

  it('answers a repeated idempotency key with the first request, across and within batches', () => {
    const within = planDecisionBatch(
      [command('r1', { idempotencyKey: 'k' }), command('r2', { idempotencyKey: 'k', contactId: 'c-9' })],
      facts(),
      ctx,
    );
    expect(within.decisions.map((d) => [d.reason, d.relatedId])).toEqual([
      ['enrolled', null],
      ['idempotent_replay', 'r1'],
    ]);
    const across = planDecisionBatch(
      [command('r5', { idempotencyKey: 'k' })],
      facts({ firstRequestByKey: new Map([[`${ACCOUNT}|k`, 'r0']]) }),
      ctx,
    );
    expect(across.decisions[0]).toMatchObject({ reason: 'idempotent_replay', relatedId: 'r0' });
  });

  it("does not see another account's sequence", () => {
    const plan = planDecisionBatch(
      [command('r1', { accountId: '00000000-0000-0000-0000-0000000000ff' })],
      facts(),
      ctx,
    );
    // The decision keeps the sequence id the request named, so lookups by contact and sequence find it.
    expect(plan.decisions[0]).toMatchObject({ reason: 'account_not_found', sequenceId: SEQUENCE });
    const accounts = new Map<string, BatchAccount>(facts().accounts);
    accounts.set('00000000-0000-0000-0000-0000000000ff', {
      automationModuleEnabled: true,
      maestroEnabled: true,
      timeZone: 'UTC',
    });
    const other = facts({ accounts });
    const plan2 = planDecisionBatch(
      [command('r1', { accountId: '00000000-0000-0000-0000-0000000000ff' })],
      other,
      ctx,
    );
    expect(plan2.decisions[0]).toMatchObject({ reason: 'sequence_not_found', sequenceId: SEQUENCE });
  });

  it('treats an existing live enrollment as a duplicate', () => {
    const live = new Map([[`${ACCOUNT}|${SEQUENCE}|c-1|contact|c-1`, 'existing']]);
    const plan = planDecisionBatch([command('r1')], facts({ live }), ctx);
    expect(plan.decisions[0]).toMatchObject({
      reason: 'duplicate',
      relatedId: 'existing',
      enrollmentId: null,
    });
    expect(plan.enrollments).toEqual([]);
  });
});
