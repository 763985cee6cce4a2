import { z } from 'zod';
import { sequenceDefinitionSchema } from '@cadence/domain';

export const sequenceDraftBody = z.object({
  name: z.string().trim().min(1).max(200),
  definition: sequenceDefinitionSchema,
});
export type SequenceDraftBody = z.infer<typeof sequenceDraftBody>;
