import type { ReasonCode } from './reason-codes';

/** What the enrollments API reads: enrollments, their history and decisions, bulk requests. */

export interface EnrollmentView {
  id: string;
  sequenceId: string;
  sequenceVersion: number;
  contactId: string;
  targetType: string;
  targetId: string;
  method: string;
  state: string;
  nextStepIndex: number;
  nextStepDueAt: Date | null;
  requestId: string;
  endReason: string | null;
  /** Why the step-runner parked the next step (one of STEP_PARK_REASONS; details in the history), or null. */
  parkedReason: string | null;
  createdAt: Date;
  updatedAt: Date;
  endedAt: Date | null;
}

export interface HistoryView {
  fromState: string | null;
  toState: string;
  cause: string;
  stepIndex: number | null;
  details: Record<string, unknown>;
  at: Date;
}

export interface DecisionView {
  requestId: string;
  idempotencyKey: string | null;
  contactId: string;
  sequenceId: string | null;
  targetType: string | null;
  targetId: string | null;
  method: string | null;
  provenance: Record<string, string | null>;
  outcome: 'enrolled' | 'ignored';
  reason: ReasonCode;
  enrollmentId: string | null;
  relatedId: string | null;
  /** What was wrong with a refused request. */
  detail: string | null;
  decidedAt: Date;
}

export interface EnrollmentFilter {
  sequenceId?: string | undefined;
  contactId?: string | undefined;
  state?: string | undefined;
  method?: string | undefined;
  /** Opaque position from a previous page: the last row's (created_at, id). */
  after?: { createdAt: Date; id: string } | undefined;
  limit: number;
}

export interface BulkEnrollmentRecord {
  id: string;
  accountId: string;
  sequenceId: string;
  requestedBy: string;
  total: number;
  createdAt: Date;
  idempotencyKey?: string | null;
  requestHash?: string | null;
}

/** A request the api accepted and published; its decision (or change) comes from the enrollment app. */
export interface AcceptedRequest {
  accountId: string;
  requestId: string;
  kind: 'enroll' | 'pause' | 'resume' | 'cancel';
  /** The enrollment a pause, resume or cancel addresses. */
  enrollmentId: string | null;
  acceptedAt: Date;
  /** Why a pause, resume or cancel changed nothing, once the enrollment app found so. */
  outcome?: string | null;
  /** The caller's `Idempotency-Key`, and a hash of what it asked, when it sent one. */
  idempotencyKey?: string | null;
  requestHash?: string | null;
}
