import { emptyProvenance, type EnrollmentCommandRecord, type Provenance, type TargetRef } from './messages';
import type { EnrollmentMethod, ExitRule } from './vocabulary';

/** What every command says: which request it is, about whom, when, and who or what asked. */
interface CommandBase {
  commandId: string;
  accountId: string;
  contactId: string;
  /** Epoch milliseconds. */
  requestedAt: number;
  provenance: Provenance;
}

/** Enroll the contact (or one of its objects, `target`) in a sequence. */
export interface EnrollCommand extends CommandBase {
  kind: 'enroll';
  sequenceId: string;
  method: EnrollmentMethod;
  /** The object enrolled; null means the sequence's target is the contact itself. */
  target: TargetRef | null;
  idempotencyKey: string | null;
}

/**
 * An exit rule happened: ends the contact's live enrollments whose pinned version lists `rule`, narrowed to
 * one sequence and to enrollments of one object (`target`) when named.
 */
export interface ExitCommand extends CommandBase {
  kind: 'exit';
  rule: ExitRule;
  sequenceId: string | null;
  target: TargetRef | null;
}

/** Pause, resume or cancel one enrollment, by id. */
export interface PauseCommand extends CommandBase {
  kind: 'pause';
  enrollmentId: string;
}
export interface ResumeCommand extends CommandBase {
  kind: 'resume';
  enrollmentId: string;
}
export interface CancelCommand extends CommandBase {
  kind: 'cancel';
  enrollmentId: string;
}

/**
 * The contact unsubscribed or blocked the account (`opt_out`): every live enrollment of the contact in the
 * account ends, and new ones are refused until it subscribes again (`opt_in`). The cause is in provenance.
 */
export interface OptOutCommand extends CommandBase {
  kind: 'opt_out';
}
export interface OptInCommand extends CommandBase {
  kind: 'opt_in';
}

export type TransitionCommand =
  ExitCommand | PauseCommand | ResumeCommand | CancelCommand | OptOutCommand | OptInCommand;
export type EnrollmentCommand = EnrollCommand | TransitionCommand;

type BaseFields = Omit<CommandBase, 'provenance'> & { provenance?: Partial<Provenance> };

const base = (fields: BaseFields): CommandBase => ({
  commandId: fields.commandId,
  accountId: fields.accountId,
  contactId: fields.contactId,
  requestedAt: fields.requestedAt,
  provenance: { ...emptyProvenance(), ...fields.provenance },
});

export const enrollCommand = (
  fields: BaseFields & {
    sequenceId: string;
    method: EnrollmentMethod;
    target?: TargetRef | null;
    idempotencyKey?: string | null;
  },
): EnrollCommand => ({
  ...base(fields),
  kind: 'enroll',
  sequenceId: fields.sequenceId,
  method: fields.method,
  target: fields.target ?? null,
  idempotencyKey: fields.idempotencyKey ?? null,
});

export const exitCommand = (
  fields: BaseFields & { rule: ExitRule; sequenceId?: string | null; target?: TargetRef | null },
): ExitCommand => ({
  ...base(fields),
  kind: 'exit',
  rule: fields.rule,
  sequenceId: fields.sequenceId ?? null,
  target: fields.target ?? null,
});

export const pauseCommand = (fields: BaseFields & { enrollmentId: string }): PauseCommand => ({
  ...base(fields),
  kind: 'pause',
  enrollmentId: fields.enrollmentId,
});

export const resumeCommand = (fields: BaseFields & { enrollmentId: string }): ResumeCommand => ({
  ...base(fields),
  kind: 'resume',
  enrollmentId: fields.enrollmentId,
});

export const cancelCommand = (fields: BaseFields & { enrollmentId: string }): CancelCommand => ({
  ...base(fields),
  kind: 'cancel',
  enrollmentId: fields.enrollmentId,
});

export const optOutCommand = (fields: BaseFields): OptOutCommand => ({ ...base(fields), kind: 'opt_out' });
export const optInCommand = (fields: BaseFields): OptInCommand => ({ ...base(fields), kind: 'opt_in' });

/** The flat wire record of a command: the fields its kind does not use travel as null. */
export function toCommandRecord(command: EnrollmentCommand): EnrollmentCommandRecord {
  const record: EnrollmentCommandRecord = {
    commandId: command.commandId,
    idempotencyKey: null,
    kind: command.kind,
    accountId: command.accountId,
    contactId: command.contactId,
    sequenceId: null,
    target: null,
    method: null,
    provenance: command.provenance,
    enrollmentId: null,
    exitReason: null,
    requestedAt: command.requestedAt,
  };
  switch (command.kind) {
    case 'enroll':
      return {
        ...record,
        idempotencyKey: command.idempotencyKey,
        sequenceId: command.sequenceId,
        target: command.target,
        method: command.method,
      };
    case 'exit':
      return { ...record, sequenceId: command.sequenceId, target: command.target, exitReason: command.rule };
    case 'pause':
    case 'resume':
    case 'cancel':
      return { ...record, enrollmentId: command.enrollmentId };
    case 'opt_out':
    case 'opt_in':
      return record;
  }
}
