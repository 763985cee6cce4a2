import type { EnrollmentState } from './enrollment-transition';

/**
 * The funnel projection: lifetime counters per (sequence version, step, counter), moved by the same
 * transactions that move enrollments. Two kinds of counter live side by side:
 *  - gauges, `active` and `paused` at the step an enrollment waits for: +1 when it arrives, -1 when it leaves;
 *  - totals, never decremented: `entered` (it reached the step), `sent` (the step went out), and where it
 *    ended: `completed` (after the last step), `cancelled`, `exited:<reason>`.
 * The sequence's own figures are sums over its steps (entered = step 0's `entered`), so a read is O(steps).
 */
export type FunnelCounter =
  'entered' | 'sent' | 'active' | 'paused' | 'completed' | 'cancelled' | `exited:${string}`;

/** One counter's change, or (read back) its value. */
export interface FunnelCount {
  accountId: string;
  sequenceId: string;
  sequenceVersion: number;
  stepIndex: number;
  counter: FunnelCounter;
  n: number;
}

/** Where an enrollment stands: its state and its `nextStepIndex` (as stored). */
export interface FunnelPosition {
  state: EnrollmentState;
  nextStepIndex: number;
}

/** One enrollment's move in one transaction: from where it was (null when it is new) to where it is now. */
export interface FunnelMove {
  accountId: string;
  sequenceId: string;
  sequenceVersion: number;
  from: FunnelPosition | null;
  to: FunnelPosition & { endReason: string | null };
  /** The step this move sent, if it sent one. */
  sentStep: number | null;
}

const isGauge = (state: EnrollmentState): state is 'active' | 'paused' =>
  state === 'active' || state === 'paused';

/** The step a position counts at: the one it waits for, or for a completed enrollment the last one it sent. */
const stepOf = (position: FunnelPosition): number =>
  position.state === 'completed' ? Math.max(position.nextStepIndex - 1, 0) : position.nextStepIndex;

/** `exit:replied` → `exited:replied`; an exit without a reason is `exited:unknown`. */
const endCounter = (state: 'completed' | 'cancelled' | 'exited', endReason: string | null): FunnelCounter =>
  state === 'exited' ? `exited:${(endReason ?? 'unknown').replace(/^exit:/, '') || 'unknown'}` : state;

/** The counter changes of one move, unsummed. */
function deltasOf(move: FunnelMove): Array<Pick<FunnelCount, 'stepIndex' | 'counter' | 'n'>> {
  const deltas: Array<Pick<FunnelCount, 'stepIndex' | 'counter' | 'n'>> = [];
  const { from, to } = move;
  if (move.sentStep !== null) deltas.push({ stepIndex: move.sentStep, counter: 'sent', n: 1 });
  if (from && isGauge(from.state)) deltas.push({ stepIndex: stepOf(from), counter: from.state, n: -1 });
  if (isGauge(to.state)) {
    deltas.push({ stepIndex: stepOf(to), counter: to.state, n: 1 });
    // A new step is entered when the enrollment is made (step 0) or moves on (sent or skipped its step).
    if (!from || to.nextStepIndex > from.nextStepIndex)
      deltas.push({ stepIndex: to.nextStepIndex, counter: 'entered', n: 1 });
  } else if (!from || isGauge(from.state)) {
    deltas.push({ stepIndex: stepOf(to), counter: endCounter(to.state, to.endReason), n: 1 });
  }
  return deltas;
}

/**
 * The counter changes of a batch of moves, summed per counter (so a batch of 5,000 enrollments into one
 * sequence is one `entered` and one `active` upsert, not 10,000), in a stable order (so that concurrent
 * transactions take the counter rows' locks in the same order and never deadlock). Zero sums are left out.
 */
export function funnelCountsOf(moves: readonly FunnelMove[]): FunnelCount[] {
  const summed = new Map<string, FunnelCount>();
  for (const move of moves) {
    for (const delta of deltasOf(move)) {
      const key = `${move.sequenceId}|${move.sequenceVersion}|${delta.stepIndex}|${delta.counter}`;
      const known = summed.get(key);
      if (known) known.n += delta.n;
      else
        summed.set(key, {
          accountId: move.accountId,
          sequenceId: move.sequenceId,
          sequenceVersion: move.sequenceVersion,
          ...delta,
        });
    }
  }
  return [...summed]
    .filter(([, count]) => count.n !== 0)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, count]) => count);
}
