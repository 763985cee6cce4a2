/**
 * The shapes the API answers, as the console reads them (dates arrive as ISO strings). The vocabulary lists copy
 * the engine's (the console's bundle cannot import the libs); test/unit/console/vocabulary.spec.ts keeps them equal.
 */

export const ENROLLMENT_STATES = ['active', 'paused', 'completed', 'exited', 'cancelled'] as const;
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
export const TARGET_TYPES = ['contact', 'conversation', 'deal', 'appointment', 'charge'] as const;
export const KEY_SCOPES = ['admin', 'enroll'] as const;

export type KeyScope = (typeof KEY_SCOPES)[number];

/** An RFC 9457 problem, as every error of the API. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors?: Array<{ path: string; message: string }>;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface Enrollment {
  id: string;
  sequenceId: string;
  sequenceVersion: number;
  contactId: string;
  targetType: string;
  targetId: string;
  method: string;
  state: string;
  nextStepIndex: number;
  nextStepDueAt: string | null;
  requestId: string;
  endReason: string | null;
  parkedReason: string | null;
  createdAt: string;
  updatedAt: string;
  endedAt: string | null;
}

export interface HistoryEntry {
  fromState: string | null;
  toState: string;
  cause: string;
  stepIndex: number | null;
  details: Record<string, unknown>;
  at: string;
}

export interface Decision {
  requestId: string;
  idempotencyKey: string | null;
  contactId: string;
  sequenceId: string | null;
  targetType: string | null;
  targetId: string | null;
  method: string | null;
  provenance: Record<string, string | null>;
  outcome: 'enrolled' | 'ignored';
  reason: string;
  enrollmentId: string | null;
  relatedId: string | null;
  detail: string | null;
  decidedAt: string;
  explanation: string;
  links: { enrollment?: string; liveEnrollment?: string };
}

export interface EnrollmentDetail extends Enrollment {
  history: HistoryEntry[];
  decision: Decision | null;
}

/** GET /v1/decisions/:requestId: a decision, a change applied (or why none), or not decided yet. */
export type RequestAnswer =
  | (Decision & { status?: undefined })
  | { requestId: string; status: 'pending'; kind: string; acceptedAt: string; note: string }
  | { requestId: string; status: 'applied'; kind: string; enrollmentId: string; change: HistoryEntry }
  | { requestId: string; status: 'unchanged'; kind: string; enrollmentId: string; why: string };

export interface Accepted {
  requestId: string;
  status: 'accepted';
}

export interface BulkAccepted {
  bulkId: string;
  total: number;
  requests: Array<{ contactId: string; requestId: string }>;
}

export interface BulkProgress {
  id: string;
  sequenceId: string;
  total: number;
  decided: number;
  pending: number;
  done: boolean;
  byReason: Record<string, number>;
  results?: Decision[];
}

export interface Step {
  delayMinutes: number;
  channel: string;
  content?: string;
  template?: { name: string; variables: Record<string, string> };
}

export interface SendWindow {
  days: number[];
  startHour: number;
  endHour: number;
}

export interface SequenceDefinition {
  targetType: string;
  triggers: Array<Record<string, unknown> & { type: string }>;
  steps: Step[];
  exitRules: string[];
  sendWindow?: SendWindow;
  resumePolicy?: string;
  reentry?: { policy: string; cooldownMinutes?: number };
  dailyCap?: number;
}

export interface Sequence {
  id: string;
  name: string;
  active: boolean;
  publishedVersion: number | null;
  draft: SequenceDefinition;
  published: SequenceDefinition | null;
}

export interface SequenceVersion {
  version: number;
  definition: SequenceDefinition;
}

export interface Funnel {
  sequenceId: string;
  version: number;
  entered: number;
  active: number;
  paused: number;
  completed: number;
  exited: Record<string, number>;
  cancelled: number;
  steps: Array<{
    index: number;
    name: string | null;
    channel: string;
    entered: number;
    sent: number;
    pausedHere: number;
    exited: Record<string, number>;
    completedAfter: number;
  }>;
}

export type EventConclusion =
  | {
      sequenceId: string;
      name: string | null;
      heard: true;
      requestId: string;
      method: string;
      conclusion: string;
      explanation: string;
      enrollmentId: string | null;
      relatedId: string | null;
    }
  | { sequenceId: string; name: string; heard: false; conclusion: string; explanation: string };

export interface EventWhy {
  eventId: string;
  eventType: string | null;
  contactId: string | null;
  routed: Array<{ sequenceId: string; method: string }>;
  implied: string | null;
  refused: string | null;
  receivedAt: string;
  sequences: EventConclusion[];
}

export interface InactivityWhy {
  conversationId: string;
  tracked: { contactId: string; status: string; lastActivityAt: string } | null;
  now: string;
  sequences: Array<{
    sequenceId: string;
    name: string;
    method: string;
    limitMinutes: number;
    statuses: string[];
    statusCounts: boolean;
    crossingAt: string | null;
    requestId: string;
    conclusion: string;
    explanation: string;
    enrollmentId: string | null;
  }>;
}

export interface Caller {
  apiKeyId: string;
  /** The secret's first 12 characters; null for keys issued before prefixes were kept. */
  prefix: string | null;
  name: string;
  scope: KeyScope;
}

export interface Account {
  id: string;
  name: string;
  automationModuleEnabled: boolean;
  maestroEnabled: boolean;
  timeZone: string;
  sendWindow: SendWindow | null;
  caller: Caller;
}

export type AccountChange = Partial<
  Pick<Account, 'automationModuleEnabled' | 'maestroEnabled' | 'timeZone' | 'sendWindow'>
>;

export interface ApiKey {
  id: string;
  name: string;
  prefix: string | null;
  scope: KeyScope;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface IssuedApiKey extends ApiKey {
  secret: string;
  replaces?: string;
}

export interface AuditEntry {
  id: string;
  at: string;
  /** apiKeyId null: an operator script (npm run account:create…), not a key. */
  actor: { apiKeyId: string | null; prefix: string | null; name: string | null };
  action: string;
  target: string;
  change: unknown;
}

export interface DeadLetterTopic {
  topic: string;
  /** The account's letters still on the topic, replayed ones included. */
  count: number;
  /** Those not replayed yet. */
  pending: number;
}

/** `complete: false`: the bounded read timed out before every partition's end (counts are a floor). */
export interface DeadLetterTopics {
  topics: DeadLetterTopic[];
  complete: boolean;
}

export interface DeadLetter {
  partition: number;
  /** A string: Kafka offsets are 64-bit. */
  offset: string;
  at: string;
  reason: string | null;
  detail: string | null;
  originalTopic: string | null;
  key: string | null;
  valuePreview: string | null;
  replayed: boolean;
}

export interface DeadLetters {
  items: DeadLetter[];
  complete: boolean;
}

export interface ReplayResult {
  replayed: Record<string, number>;
  skipped: number;
}
