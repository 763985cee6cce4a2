import type { InboundMessage, MessageResult, Validation } from './message-result';

/** A stream handler: validates each decoded value, then processes one partition's valid messages at once. */
export interface StreamHandler<T> {
  readonly name: string;
  validate(value: unknown): Validation<T>;
  /** One result per item, in order. Throwing means "retry the whole batch" (nothing is committed). */
  handle(items: ReadonlyArray<InboundMessage<T>>): Promise<MessageResult[]>;
}
