import { z } from 'zod';
import { TARGET_TYPES, uuidSchema } from '@cadence/contracts';

const id = z.string().trim().min(1).max(200);
const target = z.object({ type: z.enum(TARGET_TYPES), id }).optional();

export const MAX_BULK_CONTACTS = 10_000;

/** Public API enrollment (method "api"). */
export const apiEnrollmentBody = z.object({
  sequenceId: uuidSchema(),
  contactId: id,
  target,
  idempotencyKey: id.optional(),
});
export type ApiEnrollmentBody = z.infer<typeof apiEnrollmentBody>;

/** Manual enrollment of one contact by a user of the CRM. */
export const manualEnrollmentBody = apiEnrollmentBody.extend({ userId: id });
export type ManualEnrollmentBody = z.infer<typeof manualEnrollmentBody>;

/** Manual enrollment of many contacts at once. */
export const bulkEnrollmentBody = z.object({
  sequenceId: uuidSchema(),
  userId: id,
  contacts: z
    .array(z.object({ contactId: id, target }))
    .min(1)
    .max(MAX_BULK_CONTACTS, `at most ${MAX_BULK_CONTACTS} contacts per call`),
});
export type BulkEnrollmentBody = z.infer<typeof bulkEnrollmentBody>;

export const transitionBody = z.object({ userId: id.optional() }).default({});
export type TransitionBody = z.infer<typeof transitionBody>;
