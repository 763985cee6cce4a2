import { z } from 'zod';
import { sendWindowSchema, stepSchema } from './sequence-definition';

/**
 * What the step-runner reads of a pinned version: its steps and its send window, checked again when a step is
 * claimed because the stored JSON is only as good as whatever wrote it (a version published under older
 * rules, a hand edit). Other keys are ignored here, so a field the definition gains later never parks a step.
 */
export const firingDefinitionSchema = z.object({
  steps: z.array(stepSchema).min(1),
  sendWindow: sendWindowSchema.optional(),
});
export type FiringDefinition = z.infer<typeof firingDefinitionSchema>;
