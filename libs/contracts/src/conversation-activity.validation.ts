import { z } from 'zod';
import type { ConversationActivity } from './messages';
import { CONVERSATION_STATUSES } from './vocabulary';

import { ACTIVITY_TEXT_MAX } from './text-limits';
import { idText, proseText, uuidSchema, validateWith, type Validation } from './validation';

const id = idText();

const activitySchema = z
  .object({
    id,
    accountId: uuidSchema(),
    contactId: id,
    conversationId: id,
    kind: z.enum(['message', 'status_change']),
    direction: z.enum(['inbound', 'outbound']).nullable(),
    status: z.enum(CONVERSATION_STATUSES).nullable(),
    time: z.number().int().nonnegative(),
    // Absent (an older producer) reads as null.
    text: proseText(ACTIVITY_TEXT_MAX).nullable().default(null),
  })
  .superRefine((activity, ctx) => {
    if (activity.kind === 'message' && !activity.direction) {
      ctx.addIssue({ code: 'custom', path: ['direction'], message: 'required for a message' });
    }
    if (activity.kind === 'status_change' && !activity.status) {
      ctx.addIssue({ code: 'custom', path: ['status'], message: 'required for a status change' });
    }
  });

/** Shared by every consumer of conversation activity (trigger-router's exits, the inactivity watcher). */
export const validateConversationActivity: (value: unknown) => Validation<ConversationActivity> =
  validateWith(activitySchema);
