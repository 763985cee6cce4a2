import { funnelCountsOf, type FunnelMove } from './funnel-counts';
import { funnelReport } from './funnel-report';

const base = { accountId: 'acc', sequenceId: 'seq', sequenceVersion: 1 };
const move = (
  from: FunnelMove['from'],
  to: Partial<FunnelMove['to']> & Pick<FunnelMove['to'], 'state' | 'nextStepIndex'>,
  sentStep: number | null = null,
): FunnelMove => ({ ...base, from, to: { endReason: null, ...to }, sentStep });
const counts = (moves: FunnelMove[]) =>
  funnelCountsOf(moves).map(({ stepIndex, counter, n }) => `${stepIndex}:${counter}:${n}`);

describe('funnelCountsOf turns enrollment moves into counter changes', () => {
  it.each<[string, FunnelMove, string[]]>([
    [
      'a new enrollment enters step 0, active there',
      move(null, { state: 'active', nextStepIndex: 0 }),
      ['0:active:1', '0:entered:1'],
    ],
    [
      'a step sent moves it on: sent here, active and entered at the next',
      move({ state: 'active', nextStepIndex: 0 }, { state: 'active', nextStepIndex: 1 }, 0),
      ['0:active:-1', '0:sent:1', '1:active:1', '1:entered:1'],
    ],
    [
      'the last step sent completes it after that step',
      move(
        { state: 'active', nextStepIndex: 1 },
        { state: 'completed', nextStepIndex: 2, endReason: 'completed' },
        1,
      ),
      ['1:active:-1', '1:completed:1', '1:sent:1'],
    ],
    [
      'a pause moves it from active to paused at the same step, entering nothing',
      move({ state: 'active', nextStepIndex: 1 }, { state: 'paused', nextStepIndex: 1 }),
      ['1:active:-1', '1:paused:1'],
    ],
    [
      'a resume that skips the overdue step enters the next one',
      move({ state: 'paused', nextStepIndex: 0 }, { state: 'active', nextStepIndex: 1 }),
      ['0:paused:-1', '1:active:1', '1:entered:1'],
    ],
    [
      'an exit counts its reason at the step it waited for',
      move(
        { state: 'paused', nextStepIndex: 1 },
        { state: 'exited', nextStepIndex: 1, endReason: 'exit:replied' },
      ),
      ['1:exited:replied:1', '1:paused:-1'],
    ],
    [
      'a cancel counts as cancelled',
      move(
        { state: 'active', nextStepIndex: 0 },
        { state: 'cancelled', nextStepIndex: 0, endReason: 'manual_cancel' },
      ),
      ['0:active:-1', '0:cancelled:1'],
    ],
  ])('%s', (_case, single, expected) => {
    expect(counts([single])).toEqual(expected);
  });

  it('sums a batch per counter and leaves out what nets to zero (a pause and resume in one batch)', () => {
    const batch = [
      move(null, { state: 'active', nextStepIndex: 0 }),
      move(null, { state: 'active', nextStepIndex: 0 }),
      move(null, { state: 'active', nextStepIndex: 0 }),
      move({ state: 'active', nextStepIndex: 2 }, { state: 'active', nextStepIndex: 2 }),
    ];
    expect(counts(batch)).toEqual(['0:active:3', '0:entered:3']);
  });

  it('orders the changes the same way whatever order the moves came in (counter rows lock in one order)', () => {
    const a = move({ state: 'active', nextStepIndex: 0 }, { state: 'active', nextStepIndex: 1 }, 0);
    const b = { ...move(null, { state: 'active', nextStepIndex: 0 }), sequenceId: 'other' };
    expect(funnelCountsOf([a, b])).toEqual(funnelCountsOf([b, a]));
  });
});

describe('funnelReport adds up the counters of a version (spread over shards) per step and in total', () => {
  it('reports a run: 3 entered, 2 sent step 0, one exited at step 1, one completed, one paused at step 0', () => {
    const moves = [
      move(null, { state: 'active', nextStepIndex: 0 }),
      move(null, { state: 'active', nextStepIndex: 0 }),
      move(null, { state: 'active', nextStepIndex: 0 }),
      move({ state: 'active', nextStepIndex: 0 }, { state: 'active', nextStepIndex: 1 }, 0),
      move({ state: 'active', nextStepIndex: 0 }, { state: 'active', nextStepIndex: 1 }, 0),
      move({ state: 'active', nextStepIndex: 0 }, { state: 'paused', nextStepIndex: 0 }),
      move(
        { state: 'active', nextStepIndex: 1 },
        { state: 'exited', nextStepIndex: 1, endReason: 'exit:replied' },
      ),
      move(
        { state: 'active', nextStepIndex: 1 },
        { state: 'completed', nextStepIndex: 2, endReason: 'completed' },
        1,
      ),
    ];
    // Each move in its own transaction (its own shard row), as the engine writes them.
    const rows = moves.flatMap((m) => funnelCountsOf([m]));
    const report = funnelReport(
      'seq',
      1,
      [
        { delayMinutes: 0, channel: 'sms', content: 'one' },
        { delayMinutes: 60, channel: 'email', template: { name: 'nudge', variables: {} } },
      ],
      rows,
    );
    expect(report).toEqual({
      sequenceId: 'seq',
      version: 1,
      entered: 3,
      active: 0,
      paused: 1,
      completed: 1,
      exited: { replied: 1 },
      cancelled: 0,
      steps: [
        {
          index: 0,
          name: null,
          channel: 'sms',
          entered: 3,
          sent: 2,
          pausedHere: 1,
          exited: {},
          completedAfter: 0,
        },
        {
          index: 1,
          name: 'nudge',
          channel: 'email',
          entered: 2,
          sent: 1,
          pausedHere: 0,
          exited: { replied: 1 },
          completedAfter: 1,
        },
      ],
    });
  });
});
