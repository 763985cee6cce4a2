import { z } from 'zod';
import { ENROLLMENT_METHODS, uuidSchema } from '@cadence/contracts';
import { ENROLLMENT_STATES } from '@cadence/domain';

export const enrollmentListQuery = z.object({
  sequenceId: uuidSchema().optional(),
  contactId: z.string().min(1).max(200).optional(),
  state: z.enum(ENROLLMENT_STATES).optional(),
  method: z.enum(ENROLLMENT_METHODS).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
export type EnrollmentListQuery = z.infer<typeof enrollmentListQuery>;

export const bulkResultsQuery = z.object({ results: z.enum(['true', 'false']).default('false') });
export type BulkResultsQuery = z.infer<typeof bulkResultsQuery>;

export const decisionLookupQuery = z.object({
  contactId: z.string().min(1).max(200),
  sequenceId: uuidSchema(),
  limit: z.coerce.number().int().min(1).max(200).default(20),
});
export type DecisionLookupQuery = z.infer<typeof decisionLookupQuery>;
