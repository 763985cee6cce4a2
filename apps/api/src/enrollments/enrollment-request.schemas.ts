import { z } from 'zod';
import { TARGET_TYPES, idText, uuidSchema } from '@cadence/contracts';

// Request bodies are strict: an unknown or misspelt field is refused by name, never silently dropped.
const id = z.string().trim().pipe(idText());
const target = z.strictObject({ type: z.enum(TARGET_TYPES), id }).optional();

export const MAX_BULK_CONTACTS = 10_000;

/** Public API enrollment (method "api"). */
export const apiEnrollmentBody = z.strictObject({
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
export const bulkEnrollmentBody = z.strictObject({
  sequenceId: uuidSchema(),
  userId: id,
  contacts: z
    .array(z.strictObject({ contactId: id, target }))
    .min(1)
    .max(MAX_BULK_CONTACTS, `at most ${MAX_BULK_CONTACTS} contacts per call`),
});
export type BulkEnrollmentBody = z.infer<typeof bulkEnrollmentBody>;

export const transitionBody = z.strictObject({ userId: id.optional() }).default({});
export type TransitionBody = z.infer<typeof transitionBody>;
