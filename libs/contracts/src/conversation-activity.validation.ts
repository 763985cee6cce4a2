import { z } from 'zod';
import type { ConversationActivity } from './messages';
import { CONVERSATION_STATUSES } from './vocabulary';

/** A decoded value turned into a typed one, or the field paths that are wrong. */
export type Validation<T> = { ok: true; value: T } | { ok: false; detail: string };

const id = z.string().min(1).max(200);

const activitySchema = z
  .object({
    id,
    accountId: z.string().uuid(),
    contactId: id,
    conversationId: id,
    kind: z.enum(['message', 'status_change']),
    direction: z.enum(['inbound', 'outbound']).nullable(),
    status: z.enum(CONVERSATION_STATUSES).nullable(),
    time: z.number().int().nonnegative(),
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
export function validateConversationActivity(value: unknown): Validation<ConversationActivity> {
  const parsed = activitySchema.safeParse(value);
  if (parsed.success) return { ok: true, value: parsed.data };
  return {
    ok: false,
    detail: parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '),
  };
}
