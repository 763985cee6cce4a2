import type { FunnelCount } from './funnel-counts';
import type { Step } from './sequence-definition';

export interface FunnelStepReport {
  index: number;
  /** The template's name, when the step sends one; null for free content. */
  name: string | null;
  channel: Step['channel'];
  entered: number;
  sent: number;
  /** Paused now while waiting for this step. */
  pausedHere: number;
  /** Ended by an exit rule while waiting for this step, by reason. */
  exited: Record<string, number>;
  /** Completed right after this step (only the last step has any, or a step skipped on resume). */
  completedAfter: number;
}

export interface FunnelReport {
  sequenceId: string;
  version: number;
  entered: number;
  active: number;
  paused: number;
  completed: number;
  exited: Record<string, number>;
  cancelled: number;
  steps: FunnelStepReport[];
}

type StepCounts = Map<string, number>;

const sumOf = (byStep: ReadonlyMap<number, StepCounts>, counter: string): number =>
  [...byStep.values()].reduce((total, counts) => total + (counts.get(counter) ?? 0), 0);

function exitsOf(counts: StepCounts | undefined): Record<string, number> {
  const exits: Record<string, number> = {};
  for (const [counter, n] of counts ?? []) {
    if (counter.startsWith('exited:') && n !== 0) exits[counter.slice('exited:'.length)] = n;
  }
  return exits;
}

/**
 * The funnel of one sequence version, from its counters (however many rows each counter is spread over) and
 * the version's steps: the sequence's figures are the sums of its steps'.
 */
export function funnelReport(
  sequenceId: string,
  version: number,
  steps: readonly Step[],
  counts: ReadonlyArray<Pick<FunnelCount, 'stepIndex' | 'counter' | 'n'>>,
): FunnelReport {
  const byStep = new Map<number, StepCounts>();
  for (const { stepIndex, counter, n } of counts) {
    const step = byStep.get(stepIndex) ?? new Map<string, number>();
    step.set(counter, (step.get(counter) ?? 0) + n);
    byStep.set(stepIndex, step);
  }
  const exited: Record<string, number> = {};
  for (const counts of byStep.values()) {
    for (const [reason, n] of Object.entries(exitsOf(counts))) exited[reason] = (exited[reason] ?? 0) + n;
  }
  return {
    sequenceId,
    version,
    entered: byStep.get(0)?.get('entered') ?? 0,
    active: sumOf(byStep, 'active'),
    paused: sumOf(byStep, 'paused'),
    completed: sumOf(byStep, 'completed'),
    exited,
    cancelled: sumOf(byStep, 'cancelled'),
    steps: steps.map((step, index) => {
      const at = byStep.get(index);
      return {
        index,
        name: step.template?.name ?? null,
        channel: step.channel,
        entered: at?.get('entered') ?? 0,
        sent: at?.get('sent') ?? 0,
        pausedHere: at?.get('paused') ?? 0,
        exited: exitsOf(at),
        completedAfter: at?.get('completed') ?? 0,
      };
    }),
  };
}
