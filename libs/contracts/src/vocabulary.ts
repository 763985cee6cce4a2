/** The shared words of the system. Each list is the single source for its union type. */

export const TARGET_TYPES = ['contact', 'conversation', 'deal', 'appointment', 'charge'] as const;
export type TargetType = (typeof TARGET_TYPES)[number];

export const ENROLLMENT_METHODS = [
  'manual',
  'bulk',
  'api',
  'automation',
  'macro',
  'flow',
  'event',
  'inactivity',
  'ai',
] as const;
export type EnrollmentMethod = (typeof ENROLLMENT_METHODS)[number];

export const CHANNELS = ['whatsapp', 'email', 'sms'] as const;
export type Channel = (typeof CHANNELS)[number];

/** `opt_out` ends every live enrollment of the contact and refuses new ones until an `opt_in`. */
export const COMMAND_KINDS = ['enroll', 'exit', 'pause', 'resume', 'cancel', 'opt_out', 'opt_in'] as const;
export type CommandKind = (typeof COMMAND_KINDS)[number];

/** Exit rules a sequence can choose (an exit command names one); a manual cancel always applies. */
export const EXIT_RULES = [
  'replied',
  'conversation_resolved',
  'deal_won',
  'deal_lost',
  'charge_paid',
  'appointment_attended',
  'appointment_rescheduled',
] as const;
export type ExitRule = (typeof EXIT_RULES)[number];

export const LIFECYCLE_TYPES = [
  'started',
  'ignored',
  'step_sent',
  'paused',
  'resumed',
  'exited',
  'completed',
  'cancelled',
] as const;
export type LifecycleType = (typeof LIFECYCLE_TYPES)[number];

/** The AI gate's answer: follow up now, not now, or no answer (the gate fails open). */
export const MAESTRO_VERDICTS = ['yes', 'no', 'unavailable'] as const;
export type MaestroVerdict = (typeof MAESTRO_VERDICTS)[number];

export const CONVERSATION_STATUSES = ['open', 'pending', 'resolved', 'snoozed'] as const;
export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number];

/** True when `value` is one of `words` (a vocabulary above): narrows text from outside without a cast. */
export const isOneOf = <T extends string>(words: readonly T[], value: string): value is T =>
  words.some((word) => word === value);
