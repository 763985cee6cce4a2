import { explainReason, type DecisionView } from '@cadence/domain';

export type ExplainedDecision = DecisionView & {
  explanation: string;
  /** Where to look next: the enrollment made, or the live one a duplicate ran into. */
  links: { enrollment?: string; liveEnrollment?: string };
};

/** A stored decision with its readable explanation and links. */
export const explained = (decision: DecisionView): ExplainedDecision => ({
  ...decision,
  explanation: explainReason(decision.reason),
  links: {
    ...(decision.enrollmentId ? { enrollment: `/v1/enrollments/${decision.enrollmentId}` } : {}),
    ...(decision.reason === 'duplicate' && decision.relatedId
      ? { liveEnrollment: `/v1/enrollments/${decision.relatedId}` }
      : {}),
  },
});
