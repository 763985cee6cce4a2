import { ok, type InboundMessage, type MessageResult } from './message-result';
import { handleIsolatingPoison } from './poison-isolation';

class RefusedValue extends Error {}

const item = (offset: number, value: string): InboundMessage<string> => ({
  topic: 't',
  partition: 0,
  offset: String(offset),
  key: null,
  headers: {},
  timestamp: '0',
  value,
});

/** A handler that refuses, as a database would, every batch holding a poison value; counts its calls. */
function handlerRefusing(poison: Set<string>) {
  const calls: number[] = [];
  const handle = async (items: ReadonlyArray<InboundMessage<string>>): Promise<MessageResult[]> => {
    calls.push(items.length);
    if (items.some((entry) => poison.has(entry.value))) throw new RefusedValue('value refused');
    return items.map(() => ok);
  };
  return { handle, calls };
}

describe('handleIsolatingPoison', () => {
  const permanent = (error: unknown) => error instanceof RefusedValue;

  it('hands a clean batch to the handler once', async () => {
    const { handle, calls } = handlerRefusing(new Set());
    const results = await handleIsolatingPoison(
      handle,
      [item(0, 'a'), item(1, 'b')],
      permanent,
      () => undefined,
    );
    expect(results).toEqual([ok, ok]);
    expect(calls).toEqual([2]);
  });

  it('rejects only the poison messages of a batch, in their places, and says which were isolated', async () => {
    const { handle } = handlerRefusing(new Set(['bad-1', 'bad-2']));
    const items = ['a', 'bad-1', 'b', 'c', 'd', 'bad-2', 'e'].map((value, offset) => item(offset, value));
    const isolated: string[] = [];
    const results = await handleIsolatingPoison(handle, items, permanent, (entry) =>
      isolated.push(entry.offset),
    );
    expect(results.map((result) => result.kind)).toEqual(['ok', 'dlq', 'ok', 'ok', 'ok', 'dlq', 'ok']);
    expect(results[1]).toEqual({ kind: 'dlq', reason: 'rejected', detail: 'value refused' });
    expect(isolated).toEqual(['1', '5']);
  });

  it('throws a transient error without splitting: the whole batch is retried', async () => {
    const calls: number[] = [];
    const handle = async (items: ReadonlyArray<InboundMessage<string>>): Promise<MessageResult[]> => {
      calls.push(items.length);
      throw new Error('connection reset');
    };
    await expect(
      handleIsolatingPoison(handle, [item(0, 'a'), item(1, 'b')], permanent, () => undefined),
    ).rejects.toThrow('connection reset');
    expect(calls).toEqual([2]);
  });
});
