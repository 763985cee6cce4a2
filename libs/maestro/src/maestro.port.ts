/** What the Maestro is asked: should this contact get the follow-up now? */
export interface MaestroQuestion {
  accountId: string;
  contactId: string;
  sequenceId: string;
  eventType: string;
  conversationId: string | null;
  data: Record<string, string>;
}

export interface MaestroAnswer {
  followUp: boolean;
  reason: string;
}

/** The Maestro port: an LLM behind HTTP in production, an in-memory stand-in in unit tests. */
export interface Maestro {
  assess(question: MaestroQuestion, signal: AbortSignal): Promise<MaestroAnswer>;
}

export const MAESTRO = Symbol('MAESTRO');
