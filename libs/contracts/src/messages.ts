import type {
  Channel,
  CommandKind,
  ConversationStatus,
  EnrollmentMethod,
  LifecycleType,
  MaestroVerdict,
  TargetType,
} from './vocabulary';

/** TypeScript mirrors of the Avro files in schemas/ (checked against them in contracts.spec.ts). */

export interface EventEntities {
  conversationId: string | null;
  dealId: string | null;
  appointmentId: string | null;
  chargeId: string | null;
}

export interface DomainEvent {
  id: string;
  source: string;
  type: string;
  time: number;
  subject: string | null;
  accountId: string;
  contactId: string;
  entities: EventEntities;
  data: Record<string, string>;
}

export interface TargetRef {
  type: TargetType;
  id: string;
}

export interface Provenance {
  userId: string | null;
  apiKeyId: string | null;
  bulkId: string | null;
  ruleId: string | null;
  macroId: string | null;
  agentId: string | null;
  flowId: string | null;
  nodeId: string | null;
  eventId: string | null;
  eventType: string | null;
  conversationId: string | null;
  maestroVerdict: MaestroVerdict | null;
  maestroReason: string | null;
  /** The question the Maestro was asked, as compact JSON (see the maestro lib's `questionAsked`). */
  maestroQuestion: string | null;
}

/**
 * The enrollment command as it travels (schemas/enrollment-command.avsc): one flat record for every kind.
 * Code outside the wire works with the EnrollmentCommand union (commands.ts); `toCommandRecord` and
 * `validateEnrollmentCommand` convert between the two.
 */
export interface EnrollmentCommandRecord {
  commandId: string;
  idempotencyKey: string | null;
  kind: CommandKind;
  accountId: string;
  contactId: string;
  sequenceId: string | null;
  target: TargetRef | null;
  method: EnrollmentMethod | null;
  provenance: Provenance;
  enrollmentId: string | null;
  exitReason: string | null;
  requestedAt: number;
}

export interface OutboundMessageCommand {
  commandId: string;
  accountId: string;
  contactId: string;
  channel: Channel;
  enrollmentId: string;
  sequenceId: string;
  sequenceVersion: number;
  stepIndex: number;
  targetType: string;
  targetId: string;
  content: string | null;
  templateName: string | null;
  variables: Record<string, string>;
  dueAt: number;
  emittedAt: number;
}

export interface EnrollmentLifecycleEvent {
  id: string;
  type: LifecycleType;
  accountId: string;
  contactId: string;
  sequenceId: string | null;
  sequenceVersion: number | null;
  enrollmentId: string | null;
  requestId: string | null;
  reason: string | null;
  stepIndex: number | null;
  time: number;
}

export interface ConversationActivity {
  id: string;
  accountId: string;
  contactId: string;
  conversationId: string;
  kind: 'message' | 'status_change';
  direction: 'inbound' | 'outbound' | null;
  status: ConversationStatus | null;
  time: number;
  /**
   * A message's text (at most `ACTIVITY_TEXT_MAX` characters); absent or null for a status change, or when
   * the inbox does not share it (the Avro default, so producers of the older schema still fit).
   */
  text?: string | null;
}

export const emptyProvenance = (): Provenance => ({
  userId: null,
  apiKeyId: null,
  bulkId: null,
  ruleId: null,
  macroId: null,
  agentId: null,
  flowId: null,
  nodeId: null,
  eventId: null,
  eventType: null,
  conversationId: null,
  maestroVerdict: null,
  maestroReason: null,
  maestroQuestion: null,
});

/** The partition key of everything about one contact: all its decisions are serialized in one lane. */
export const contactKey = (accountId: string, contactId: string): string => `${accountId}:${contactId}`;
