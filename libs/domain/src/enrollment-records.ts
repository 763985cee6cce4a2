import type { EnrollmentMethod, Provenance, TargetType } from '@cadence/contracts';
import type { EnrollmentState } from './enrollment-transition';
import type { LiveKey } from './live-key';
import type { ReasonCode } from './reason-codes';
import type { FiringDefinition } from './firing-definition';
import type { SequenceDefinition } from './sequence-definition';
import type { StepParkReason } from './step-parking';

/** The records the planners produce and read; persistence stores and loads exactly these. */

/** An enrollment the decision made: it starts active, at step 0, pinned to `sequenceVersion`. */
export interface NewEnrollment extends LiveKey {
  id: string;
  sequenceVersion: number;
  method: EnrollmentMethod;
  requestId: string;
  nextStepDueAt: Date | null;
  createdAt: Date;
}

/** One decision per request: enrolled, or ignored with its reason. */
export interface DecisionRecord {
  accountId: string;
  requestId: string;
  idempotencyKey: string | null;
  contactId: string;
  sequenceId: string | null;
  targetType: TargetType | null;
  targetId: string | null;
  /** Null only for a refused request whose method was missing or unknown. */
  method: EnrollmentMethod | null;
  provenance: Provenance;
  outcome: 'enrolled' | 'ignored';
  reason: ReasonCode;
  enrollmentId: string | null;
  relatedId: string | null;
  /** What was wrong with a refused request (`invalid_request`, `rejected_by_database`); null otherwise. */
  detail: string | null;
  decidedAt: Date;
}

/** What a stored decision says, read back for a redelivered request (its lifecycle event is rebuilt). */
export interface DecidedRequest {
  accountId: string;
  requestId: string;
  contactId: string;
  sequenceId: string | null;
  outcome: 'enrolled' | 'ignored';
  reason: ReasonCode;
  enrollmentId: string | null;
  sequenceVersion: number | null;
  decidedAt: Date;
}

/** One line of an enrollment's history: a state change (or a step) with its cause. */
export interface HistoryRecord {
  accountId: string;
  enrollmentId: string;
  fromState: EnrollmentState | null;
  toState: EnrollmentState;
  cause: string;
  stepIndex: number | null;
  details: object;
  at: Date;
}

/** An enrollment locked for a pause, resume, cancel or exit, with its pinned version's definition. */
export interface LockedEnrollment {
  id: string;
  accountId: string;
  contactId: string;
  sequenceId: string;
  sequenceVersion: number;
  targetType: TargetType;
  targetId: string;
  state: EnrollmentState;
  nextStepIndex: number;
  nextStepDueAt: Date | null;
  rowVersion: number;
  createdAt: Date;
  definition: SequenceDefinition;
}

/** The change a transition makes to one enrollment, guarded by the row version that was read. */
export interface TransitionRow {
  id: string;
  rowVersion: number;
  toState: EnrollmentState;
  nextStepIndex: number;
  nextStepDueAt: Date | null;
  endReason: string | null;
}

/**
 * A step that fell due, claimed by one step-runner pass, as stored: the pinned version's definition and the
 * account's time zone are not trusted yet (`readDueStep` checks them, and a step that fails is parked).
 */
export interface ClaimedStep {
  enrollmentId: string;
  accountId: string;
  contactId: string;
  sequenceId: string;
  sequenceVersion: number;
  stepIndex: number;
  targetType: TargetType;
  targetId: string;
  dueAt: Date;
  definition: unknown;
  timeZone: string;
  /** The account's default send window as stored (jsonb, null when unset): used when the sequence has none. */
  accountSendWindow: unknown;
  /** The contact opted out since it was enrolled: the step is not sent, the enrollment exits. */
  optedOut: boolean;
}

/** A claimed step whose definition, step index and time zone were checked: what the planner fires. */
export interface DueStep extends Omit<ClaimedStep, 'definition'> {
  definition: FiringDefinition;
}

/**
 * A claimed step that cannot be planned: it leaves the due index (`next_step_due_at = NULL`) with its reason,
 * while its enrollment stays active, so it no longer comes first in every pass and holds nobody back.
 */
export interface StepParking {
  enrollmentId: string;
  accountId: string;
  reason: StepParkReason;
  /** Readable: what was wrong, naming the value (stored in the history row's details). */
  detail: string;
}

/** Where a claimed step leaves its enrollment: at the next step, completed, or exited (opted out). */
export interface StepAdvanceRow {
  enrollmentId: string;
  nextStepIndex: number;
  nextDueAt: Date | null;
  state: 'active' | 'completed' | 'exited';
  /** Why it ended (`completed`, `exit:opted_out`); null while active. */
  endReason: string | null;
}

/** A step due outside its send window, moved to the window's next opening. */
export interface StepDeferral {
  enrollmentId: string;
  until: Date;
}

/** What one retention pass dropped, by kind of row. */
export interface DroppedRows {
  enrollments: number;
  history: number;
  decisions: number;
  acceptedRequests: number;
  dailyCounts: number;
}
