import type { IHeaders } from 'kafkajs';

/** A consumed message after decoding and validation, as handlers see it. */
export interface InboundMessage<T> {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  headers: IHeaders;
  timestamp: string;
  value: T;
}

/** What a handler says about each message; only the consumer loop turns this into commits and DLQ writes. */
export type MessageResult = { kind: 'ok' } | { kind: 'dlq'; reason: DlqReason; detail: string };

export const DLQ_REASONS = ['undecodable', 'invalid', 'rejected'] as const;
export type DlqReason = (typeof DLQ_REASONS)[number];

export const ok: MessageResult = { kind: 'ok' };
export const toDlq = (reason: DlqReason, detail: string): MessageResult => ({ kind: 'dlq', reason, detail });

/** Validation turns a decoded value into a handler's input, or says which field is wrong. */
export type { Validation } from '@cadence/contracts';

/** The offset to commit after a batch whose last processed message has `lastOffset`. */
export const offsetAfter = (lastOffset: string): string => (BigInt(lastOffset) + 1n).toString();
