import { z } from 'zod';
import {
  COMMAND_KINDS,
  ENROLLMENT_METHODS,
  MAESTRO_VERDICTS,
  TARGET_TYPES,
  uuidSchema,
  validateWith,
  type EnrollmentCommand,
  type Validation,
} from '@cadence/contracts';

const id = z.string().min(1).max(200);
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
  maestroReason: z.string().max(2000).nullable(),
});

/** What Avro cannot say: ids are uuids, an enroll names its sequence and method. */
const enrollmentCommandSchema = z
  .object({
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
  })
  .superRefine((command, ctx) => {
    if (command.kind !== 'enroll') return;
    if (!command.sequenceId)
      ctx.addIssue({ code: 'custom', path: ['sequenceId'], message: 'required for enroll' });
    if (!command.method) ctx.addIssue({ code: 'custom', path: ['method'], message: 'required for enroll' });
  });

export const validateEnrollmentCommand: (value: unknown) => Validation<EnrollmentCommand> =
  validateWith(enrollmentCommandSchema);
