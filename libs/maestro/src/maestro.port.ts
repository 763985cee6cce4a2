/** One message of the conversation, as the Maestro sees it. */
export interface QuestionMessage {
  direction: 'inbound' | 'outbound';
  /** ISO 8601, UTC. */
  at: string;
  text: string | null;
}

/** What the Maestro is asked: should this contact get the follow-up now? Bounded by `buildQuestion`. */
export interface MaestroQuestion {
  accountId: string;
  contactId: string;
  sequenceId: string;
  eventType: string;
  conversationId: string | null;
  data: Record<string, string>;
  /** The conversation's last messages, oldest first; empty when no conversation is tracked. */
  recentMessages: QuestionMessage[];
}

/** The answer the Maestro is asked to give; what it really returns is checked by `parseAnswer`. */
export interface MaestroAnswer {
  followUp: boolean;
  reason: string;
}

/** The Maestro port: an LLM behind HTTP in production, an in-memory stand-in in unit tests. */
export interface Maestro {
  /** The Maestro's answer as it came (untrusted: the gate checks and sanitises it). */
  assess(question: MaestroQuestion, signal: AbortSignal): Promise<unknown>;
}

export const MAESTRO = Symbol('MAESTRO');
