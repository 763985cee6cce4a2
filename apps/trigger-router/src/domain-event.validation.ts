import { z } from 'zod';
import { uuidSchema, validateWith, type DomainEvent, type Validation } from '@cadence/contracts';

const optionalId = z.string().min(1).max(200).nullable();

const domainEventSchema = z.object({
  id: z.string().min(1).max(200),
  source: z.string().min(1).max(200),
  type: z.string().min(1).max(200),
  time: z.number().int().nonnegative(),
  subject: z.string().max(500).nullable(),
  accountId: uuidSchema(),
  contactId: z.string().min(1).max(200),
  entities: z.object({
    conversationId: optionalId,
    dealId: optionalId,
    appointmentId: optionalId,
    chargeId: optionalId,
  }),
  data: z.record(z.string(), z.string()),
});

export const validateDomainEvent: (value: unknown) => Validation<DomainEvent> =
  validateWith(domainEventSchema);
