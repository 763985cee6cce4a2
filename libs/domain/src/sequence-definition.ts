import { z } from 'zod';
import {
  CHANNELS,
  CONVERSATION_STATUSES,
  EXIT_RULES,
  TARGET_TYPES,
  idText,
  proseText,
} from '@cadence/contracts';

/** The shortest inactivity limit a sequence may set. */
export const MIN_INACTIVITY_LIMIT_MINUTES = 1;

const inactivityCue = z.strictObject({
  limitMinutes: z.number().int().min(MIN_INACTIVITY_LIMIT_MINUTES).max(525_600),
  statuses: z.array(z.enum(CONVERSATION_STATUSES)).min(1).default(['open', 'pending']),
});

// Every object is strict: a misspelt key ("exitRule", "delayMinute") is refused by name, never saved without it.

/** What enrolls contacts automatically. Manual, bulk, API, automation, macro and flow need no trigger. */
export const triggerSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('event'), eventType: idText() }),
  z.strictObject({ type: z.literal('inactivity'), ...inactivityCue.shape }),
  z.strictObject({
    type: z.literal('ai'),
    cue: z.discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('event'), eventType: idText() }),
      z.strictObject({ kind: z.literal('inactivity'), ...inactivityCue.shape }),
    ]),
  }),
]);
export type Trigger = z.infer<typeof triggerSchema>;

export const stepSchema = z
  .strictObject({
    delayMinutes: z.number().int().min(0).max(525_600),
    channel: z.enum(CHANNELS),
    content: proseText(4096).min(1).optional(),
    template: z
      .strictObject({
        name: idText(),
        variables: z.record(idText(), proseText(1000)).default({}),
      })
      .optional(),
  })
  .refine((step) => Boolean(step.content) !== Boolean(step.template), {
    error: 'a step has either content or a template',
    path: ['content'],
  });
export type Step = z.infer<typeof stepSchema>;

/**
 * Days 0 = Sunday; local hours [startHour, endHour) in the account's time zone. A start after the end (22 → 6)
 * is an overnight window, which belongs to the day it opens. Equal hours are refused: they would mean either
 * nothing or all day, and "all day" is written 0 → 24.
 */
export const sendWindowSchema = z
  .strictObject({
    days: z.array(z.number().int().min(0).max(6)).min(1),
    startHour: z.number().int().min(0).max(23),
    endHour: z.number().int().min(1).max(24),
  })
  .refine((window) => window.startHour !== window.endHour, {
    error:
      'endHour must differ from startHour (for all day write 0 to 24; a start after the end runs overnight)',
    path: ['endHour'],
  });

/**
 * Whether a contact may enter the sequence again once an enrollment of the same target ended (completed,
 * exited or cancelled): always, never, or once `cooldownMinutes` passed since it ended.
 */
export const reentrySchema = z.discriminatedUnion('policy', [
  z.strictObject({ policy: z.literal('always') }),
  z.strictObject({ policy: z.literal('never') }),
  z.strictObject({ policy: z.literal('cooldown'), cooldownMinutes: z.number().int().min(1).max(5_256_000) }),
]);
export type ReentryPolicy = z.infer<typeof reentrySchema>;

export const sequenceDefinitionSchema = z.strictObject({
  targetType: z.enum(TARGET_TYPES),
  /** A sequence may listen to several triggers (say, an event and an inactivity limit); none is fine too. */
  triggers: z.array(triggerSchema).max(20).default([]),
  steps: z.array(stepSchema).min(1).max(100),
  exitRules: z.array(z.enum(EXIT_RULES)).default([]),
  sendWindow: sendWindowSchema.optional(),
  resumePolicy: z.enum(['send_now', 'skip']).default('send_now'),
  reentry: reentrySchema.default({ policy: 'always' }),
  /** At most this many new enrollments per day (the account's local day); unset means no cap. */
  dailyCap: z.number().int().min(1).max(10_000_000).optional(),
});
export type SequenceDefinition = z.infer<typeof sequenceDefinitionSchema>;
