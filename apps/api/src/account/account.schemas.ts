import { z } from 'zod';
import { idText } from '@cadence/contracts';
import { API_KEY_SCOPES, isValidTimeZone, sendWindowSchema } from '@cadence/domain';

/** PATCH /v1/account: any subset of the settings; `sendWindow: null` clears the account's default window. */
export const accountChangesBody = z.strictObject({
  automationModuleEnabled: z.boolean().optional(),
  maestroEnabled: z.boolean().optional(),
  timeZone: z
    .string()
    .max(100)
    .refine(isValidTimeZone, { error: 'not an IANA time zone (e.g. Europe/Paris)' })
    .optional(),
  sendWindow: sendWindowSchema.nullable().optional(),
});
export type AccountChangesBody = z.infer<typeof accountChangesBody>;

export const newApiKeyBody = z.strictObject({
  name: z.string().trim().pipe(idText()),
  scope: z.enum(API_KEY_SCOPES),
});
export type NewApiKeyBody = z.infer<typeof newApiKeyBody>;

export const auditQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});
export type AuditQuery = z.infer<typeof auditQuery>;
