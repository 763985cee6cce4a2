import { toDlq, type InboundMessage, type MessageResult } from './message-result';

/**
 * Handles `items` at once; when that fails with an error the same input raises again (`isPermanent`), splits
 * the batch in halves until the message that causes it is alone, and answers `rejected` for that message only.
 * Any other error is thrown (the whole batch is retried). Handlers are idempotent under redelivery, so
 * handling the halves again is safe.
 */
export async function handleIsolatingPoison<T>(
  handle: (items: ReadonlyArray<InboundMessage<T>>) => Promise<MessageResult[]>,
  items: ReadonlyArray<InboundMessage<T>>,
  isPermanent: (error: unknown) => boolean,
  onIsolated: (item: InboundMessage<T>, detail: string) => void,
): Promise<MessageResult[]> {
  try {
    return await handle(items);
  } catch (error) {
    if (!isPermanent(error)) throw error;
    const [only] = items;
    if (items.length === 1 && only) {
      const detail = error instanceof Error ? error.message : String(error);
      onIsolated(only, detail);
      return [toDlq('rejected', detail)];
    }
    const middle = Math.ceil(items.length / 2);
    const first = await handleIsolatingPoison(handle, items.slice(0, middle), isPermanent, onIsolated);
    return [...first, ...(await handleIsolatingPoison(handle, items.slice(middle), isPermanent, onIsolated))];
  }
}
