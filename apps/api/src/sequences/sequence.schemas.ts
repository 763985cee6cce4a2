import { z } from 'zod';
import { idText } from '@cadence/contracts';
import { sequenceDefinitionSchema } from '@cadence/domain';

export const sequenceDraftBody = z.strictObject({
  name: z.string().trim().pipe(idText()),
  definition: sequenceDefinitionSchema,
});
export type SequenceDraftBody = z.infer<typeof sequenceDraftBody>;

export const funnelQuery = z.object({ version: z.coerce.number().int().min(1).optional() });
export type FunnelQuery = z.infer<typeof funnelQuery>;
