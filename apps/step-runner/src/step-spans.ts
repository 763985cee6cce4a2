import type { ClaimedStep } from '@cadence/domain';
import { SpanSet } from '@cadence/observability';

/** A pass's spans: one per claimed step, a child of the trace its enrollment was decided in (kept on the row). */
export function stepSpans(steps: readonly ClaimedStep[]): SpanSet {
  return new SpanSet(
    'step-runner.fire-due-steps',
    'step.fire',
    steps.map((step) => ({
      key: step.enrollmentId,
      parent: step.traceParent,
      attributes: {
        'cadence.enrollment_id': step.enrollmentId,
        'cadence.account_id': step.accountId,
        'cadence.sequence_id': step.sequenceId,
        'cadence.sequence_version': step.sequenceVersion,
        'cadence.step_index': step.stepIndex,
      },
    })),
  );
}
