import type { DlqReason, InboundMessage, MessageResult, Validation } from './message-result';

/** A message about to be dead-lettered, with what could be read of it (nothing for undecodable bytes). */
export interface Refusal {
  reason: DlqReason;
  detail: string;
  /** The decoded value (for `invalid`), the validated one (for `rejected`), undefined for `undecodable`. */
  value: unknown;
}

/** A stream handler: validates each decoded value, then processes one partition's valid messages at once. */
export interface StreamHandler<T> {
  readonly name: string;
  validate(value: unknown): Validation<T>;
  /** One result per item, in order. Throwing means "retry the whole batch" (nothing is committed). */
  handle(items: ReadonlyArray<InboundMessage<T>>): Promise<MessageResult[]>;
  /**
   * Optional: told of the batch's refused messages before they are dead-lettered, so that a request it could
   * not take still leaves a record of its own. Throwing retries the batch, so only transient errors may escape.
   */
  recordRefusals?(refusals: readonly Refusal[]): Promise<void>;
}
