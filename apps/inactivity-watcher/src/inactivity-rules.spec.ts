import type { TrackedConversation } from '@cadence/domain';
import { idleByRule, type InactivityRule } from './inactivity-rules';

const MINUTE = 60_000;
const now = new Date('2026-05-05T12:00:00Z');
const ago = (minutes: number) => new Date(now.getTime() - minutes * MINUTE);

const rule = (overrides: Partial<InactivityRule> = {}): InactivityRule => ({
  accountId: 'acct-a',
  sequenceId: 'seq-60',
  targetType: 'conversation',
  limitMinutes: 60,
  statuses: ['open', 'pending'],
  method: 'inactivity',
  ...overrides,
});

const conversation = (
  conversationId: string,
  lastActivityAt: Date,
  overrides: Partial<TrackedConversation> = {},
): TrackedConversation => ({
  accountId: 'acct-a',
  conversationId,
  contactId: `contact-of-${conversationId}`,
  status: 'open',
  lastActivityAt,
  recentMessages: [],
  ...overrides,
});

describe('idleByRule (late activity checked against every rule of its account)', () => {
  const oldestCrossing = ago(24 * 60);

  it.each([
    ['idle past the limit', conversation('c', ago(61)), ['seq-60']],
    ['exactly at the limit', conversation('c', ago(60)), ['seq-60']],
    ['not yet at the limit', conversation('c', ago(59)), []],
    ['in a status the rule does not count', conversation('c', ago(90), { status: 'snoozed' }), []],
    ['of another account', conversation('c', ago(90), { accountId: 'acct-b' }), []],
    ['crossed before the look-back', conversation('c', ago(24 * 60 + 61)), []],
    ['crossed just inside the look-back', conversation('c', ago(24 * 60 + 59)), ['seq-60']],
  ])('a conversation %s', (_, tracked, sequences) => {
    expect(idleByRule([rule()], [tracked], now, oldestCrossing).map(({ rule }) => rule.sequenceId)).toEqual(
      sequences,
    );
  });

  it('groups the idle conversations per rule, each rule with its own limit and statuses', () => {
    const rules = [
      rule(),
      rule({ sequenceId: 'seq-5', limitMinutes: 5 }),
      rule({ sequenceId: 'seq-resolved', limitMinutes: 5, statuses: ['resolved'] }),
    ];
    const result = idleByRule(
      rules,
      [
        conversation('ten-minutes', ago(10)),
        conversation('two-hours', ago(120)),
        conversation('resolved', ago(10), { status: 'resolved' }),
      ],
      now,
      oldestCrossing,
    );
    expect(result.map(({ rule, idle }) => [rule.sequenceId, idle.map((c) => c.conversationId)])).toEqual([
      ['seq-60', ['two-hours']],
      ['seq-5', ['ten-minutes', 'two-hours']],
      ['seq-resolved', ['resolved']],
    ]);
  });
});
