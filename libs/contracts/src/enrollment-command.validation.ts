import { z } from 'zod';
import type { EnrollmentCommand } from './commands';
import type { EnrollmentCommandRecord } from './messages';
import { MAESTRO_QUESTION_MAX, MAESTRO_REASON_MAX } from './text-limits';
import { idText, proseText, uuidSchema, validateWith, type Validation } from './validation';
import {
  COMMAND_KINDS,
  ENROLLMENT_METHODS,
  EXIT_RULES,
  MAESTRO_VERDICTS,
  TARGET_TYPES,
  isOneOf,
} from './vocabulary';

const id = idText();
const optionalId = id.nullable();

const provenance = z.object({
  userId: optionalId,
  apiKeyId: optionalId,
  bulkId: uuidSchema().nullable(),
  ruleId: optionalId,
  macroId: optionalId,
  agentId: optionalId,
  flowId: optionalId,
  nodeId: optionalId,
  eventId: optionalId,
  eventType: optionalId,
  conversationId: optionalId,
  maestroVerdict: z.enum(MAESTRO_VERDICTS).nullable(),
  maestroReason: proseText(MAESTRO_REASON_MAX).nullable(),
  maestroQuestion: proseText(MAESTRO_QUESTION_MAX).nullable(),
});

/** The wire record with what Avro cannot say: ids are uuids, text is bounded. */
const recordSchema = z.object({
  commandId: id,
  idempotencyKey: optionalId,
  kind: z.enum(COMMAND_KINDS),
  accountId: uuidSchema(),
  contactId: id,
  sequenceId: uuidSchema().nullable(),
  target: z.object({ type: z.enum(TARGET_TYPES), id }).nullable(),
  method: z.enum(ENROLLMENT_METHODS).nullable(),
  provenance,
  enrollmentId: uuidSchema().nullable(),
  exitReason: z.string().max(200).nullable(),
  requestedAt: z.number().int().nonnegative(),
});

type Issue = { path: string; message: string };

/** The union member a record of its kind stands for, or the fields its kind needs and lacks. */
function toCommand(record: EnrollmentCommandRecord): EnrollmentCommand | Issue[] {
  const { commandId, accountId, contactId, requestedAt, provenance } = record;
  const base = { commandId, accountId, contactId, requestedAt, provenance };
  switch (record.kind) {
    case 'enroll': {
      const { sequenceId, method } = record;
      if (sequenceId === null || method === null)
        return [
          ...(sequenceId === null ? [{ path: 'sequenceId', message: 'required for enroll' }] : []),
          ...(method === null ? [{ path: 'method', message: 'required for enroll' }] : []),
        ];
      return {
        ...base,
        kind: 'enroll',
        sequenceId,
        method,
        target: record.target,
        idempotencyKey: record.idempotencyKey,
      };
    }
    case 'exit': {
      const rule = record.exitReason;
      if (rule === null || !isOneOf(EXIT_RULES, rule))
        return [
          { path: 'exitReason', message: `an exit rule is required (one of ${EXIT_RULES.join(', ')})` },
        ];
      return { ...base, kind: 'exit', rule, sequenceId: record.sequenceId, target: record.target };
    }
    case 'pause':
    case 'resume':
    case 'cancel': {
      const { enrollmentId } = record;
      if (enrollmentId === null) return [{ path: 'enrollmentId', message: `required for ${record.kind}` }];
      return { ...base, kind: record.kind, enrollmentId };
    }
    case 'opt_out':
    case 'opt_in':
      return { ...base, kind: record.kind };
  }
}

const commandSchema = recordSchema.transform((record, ctx) => {
  const command = toCommand(record);
  if (!Array.isArray(command)) return command;
  for (const issue of command) ctx.addIssue({ code: 'custom', path: [issue.path], message: issue.message });
  return z.NEVER;
});

/**
 * Decodes a wire record into the command union. A kind without the fields it needs, or a value outside a
 * vocabulary (an unknown exit rule), is invalid here: dead-lettered with the reason, never a silent no-op later.
 */
export const validateEnrollmentCommand: (value: unknown) => Validation<EnrollmentCommand> =
  validateWith(commandSchema);
