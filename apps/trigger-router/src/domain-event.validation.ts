import { z } from 'zod';
import type { DomainEvent } from '@cadence/contracts';
import type { Validation } from '@cadence/kafka';

const optionalId = z.string().min(1).max(200).nullable();

const domainEventSchema = z.object({
  id: z.string().min(1).max(200),
  source: z.string().min(1).max(200),
  type: z.string().min(1).max(200),
  time: z.number().int().nonnegative(),
  subject: z.string().max(500).nullable(),
  accountId: z.string().uuid(),
  contactId: z.string().min(1).max(200),
  entities: z.object({
    conversationId: optionalId,
    dealId: optionalId,
    appointmentId: optionalId,
    chargeId: optionalId,
  }),
  data: z.record(z.string(), z.string()),
});

export function validateDomainEvent(value: unknown): Validation<DomainEvent> {
  const parsed = domainEventSchema.safeParse(value);
  if (parsed.success) return { ok: true, value: parsed.data };
  return {
    ok: false,
    detail: parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '),
  };
}
