import { z } from 'zod';
import {
  idText,
  proseText,
  uuidSchema,
  validateWith,
  type DomainEvent,
  type Validation,
} from '@cadence/contracts';

const optionalId = idText().nullable();
/** An event's free-form data: a bounded map (the Maestro is shown at most 20 of its entries). */
const MAX_DATA_ENTRIES = 100;

/** What Avro cannot say: ids are bounded text without control characters, the account is a uuid. */
const domainEventSchema = z.object({
  id: idText(),
  source: idText(),
  type: idText(),
  time: z.number().int().nonnegative(),
  subject: proseText(500).nullable(),
  accountId: uuidSchema(),
  contactId: idText(),
  entities: z.object({
    conversationId: optionalId,
    dealId: optionalId,
    appointmentId: optionalId,
    chargeId: optionalId,
  }),
  data: z
    .record(idText(), proseText(4000))
    .refine((data) => Object.keys(data).length <= MAX_DATA_ENTRIES, `at most ${MAX_DATA_ENTRIES} entries`),
});

export const validateDomainEvent: (value: unknown) => Validation<DomainEvent> =
  validateWith(domainEventSchema);
