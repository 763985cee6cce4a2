import type { KafkaMessage } from 'kafkajs';
import { deadLetterRecord, type DeadLetter } from './dlq-publisher';
import { ok, toDlq, type InboundMessage, type MessageResult, type Validation } from './message-result';
import {
  processPartitionBatch,
  type DeadLetterSink,
  type MessageDecoder,
  type PartitionBatchPorts,
} from './partition-batch';
import { UndecodableMessageError } from './schema-codec';
import type { BatchStage } from './stall-watch';
import type { StreamHandler } from './stream-handler';

interface Command {
  id: string;
}

/** What a database raises for a value it refuses on every retry. */
class RefusedValue extends Error {}

const TOPIC = 'enrollment-commands';
const PARTITION = 3;

function message(offset: number, body: string): KafkaMessage {
  return {
    key: Buffer.from('lane'),
    value: Buffer.from(body),
    timestamp: '1700000000000',
    attributes: 0,
    offset: String(offset),
    headers: { trace: 'abc' },
  };
}

const command = (offset: number): KafkaMessage => message(offset, JSON.stringify({ id: `c-${offset}` }));
const commands = (count: number): KafkaMessage[] =>
  Array.from({ length: count }, (_, offset) => command(offset));
const ids = (offsets: number[]): string[] => offsets.map((offset) => `c-${offset}`);

/** Reads JSON; any other bytes are undecodable, as bytes without the registry's framing are. */
class FakeDecoder implements MessageDecoder {
  readonly topics: string[] = [];
  constructor(private readonly outage?: Error) {}

  async decode(topic: string, buffer: Buffer | null): Promise<unknown> {
    this.topics.push(topic);
    if (this.outage) throw this.outage;
    try {
      return JSON.parse(buffer?.toString() ?? '');
    } catch {
      throw new UndecodableMessageError('not json');
    }
  }
}

interface HandlerBehaviour {
  /** Ids whose presence makes the whole call fail permanently, as a refused row fails its insert. */
  poison?: string[];
  /** Thrown by every call. */
  failure?: Error;
  answer?: (item: InboundMessage<Command>) => MessageResult;
}

/** Records every call's ids, and the ids of the calls that succeeded. */
class FakeHandler implements StreamHandler<Command> {
  readonly name = 'fake-handler';
  readonly calls: string[][] = [];
  readonly handled: string[] = [];
  readonly items: Array<InboundMessage<Command>> = [];
  constructor(private readonly behaviour: HandlerBehaviour) {}

  validate(value: unknown): Validation<Command> {
    const id: unknown = typeof value === 'object' && value !== null ? Reflect.get(value, 'id') : undefined;
    return typeof id === 'string'
      ? { ok: true, value: { id } }
      : { ok: false, detail: 'id: Expected string' };
  }

  async handle(items: ReadonlyArray<InboundMessage<Command>>): Promise<MessageResult[]> {
    const batchIds = items.map((item) => item.value.id);
    this.calls.push(batchIds);
    if (this.behaviour.failure) throw this.behaviour.failure;
    if (batchIds.some((id) => this.behaviour.poison?.includes(id))) throw new RefusedValue('value refused');
    this.handled.push(...batchIds);
    this.items.push(...items);
    return items.map((item) => this.behaviour.answer?.(item) ?? ok);
  }
}

class FakeDeadLetterSink implements DeadLetterSink {
  readonly published: Array<{ letters: DeadLetter[]; now: Date }> = [];
  constructor(private readonly failure?: Error) {}

  async publish(letters: DeadLetter[], now: Date): Promise<void> {
    if (this.failure) throw this.failure;
    this.published.push({ letters, now });
  }
}

function setup(options: HandlerBehaviour & { sinkFailure?: Error; decoderOutage?: Error } = {}) {
  const mocks = {
    decoder: new FakeDecoder(options.decoderOutage),
    handler: new FakeHandler(options),
    deadLetters: new FakeDeadLetterSink(options.sinkFailure),
    isolated: [] as string[],
    stages: [] as BatchStage[],
  };
  const ports: PartitionBatchPorts<Command> = {
    decoder: mocks.decoder,
    handler: mocks.handler,
    isPermanentError: (error) => error instanceof RefusedValue,
    deadLetters: mocks.deadLetters,
    onPoisonIsolated: (item) => mocks.isolated.push(item.offset),
  };
  const sut = (messages: KafkaMessage[]) =>
    processPartitionBatch(ports, { topic: TOPIC, partition: PARTITION, messages }, (stage) =>
      mocks.stages.push(stage),
    );
  return { sut, mocks };
}

const facts = (letters: DeadLetter[]) =>
  letters.map(({ message: { offset }, reason, detail }) => ({ offset, reason, detail }));

describe('processPartitionBatch', () => {
  it('hands a clean batch to the handler once and commits after its last message, with no dead letters', async () => {
    const { sut, mocks } = setup();

    const outcome = await sut(commands(5));

    expect(outcome).toEqual({ lastOffset: '4', commitOffset: '5', deadLetters: [] });
    expect(mocks.handler.calls).toEqual([ids([0, 1, 2, 3, 4])]);
    expect(mocks.handler.items[0]).toEqual({
      topic: TOPIC,
      partition: PARTITION,
      offset: '0',
      key: 'lane',
      headers: { trace: 'abc' },
      timestamp: '1700000000000',
      value: { id: 'c-0' },
    });
    expect(mocks.decoder.topics).toEqual(Array(5).fill(TOPIC));
    expect(mocks.deadLetters.published).toEqual([]);
    expect(mocks.stages).toEqual(['decode', 'handle', 'dead-letters']);
  });

  it('dead-letters an undecodable and a schema-invalid message with their reasons and hands the rest on in order', async () => {
    const { sut, mocks } = setup();

    const outcome = await sut([
      command(0),
      message(1, 'not avro'),
      command(2),
      message(3, JSON.stringify({ id: 42 })),
      command(4),
    ]);

    expect(mocks.handler.calls).toEqual([ids([0, 2, 4])]);
    expect(outcome?.commitOffset).toBe('5');
    expect(facts(outcome?.deadLetters ?? [])).toEqual([
      { offset: '1', reason: 'undecodable', detail: 'not json' },
      { offset: '3', reason: 'invalid', detail: 'id: Expected string' },
    ]);
    const [publish] = mocks.deadLetters.published;
    expect(mocks.deadLetters.published).toHaveLength(1);
    expect(publish?.letters).toEqual(outcome?.deadLetters);
    const [undecodable] = publish?.letters ?? [];
    expect(undecodable && publish && deadLetterRecord(undecodable, publish.now)).toEqual({
      key: Buffer.from('lane'),
      value: Buffer.from('not avro'),
      headers: {
        trace: 'abc',
        'dlq-reason': 'undecodable',
        'dlq-detail': 'not json',
        'dlq-original-topic': TOPIC,
        'dlq-original-partition': String(PARTITION),
        'dlq-original-offset': '1',
        'dlq-failed-at': publish?.now.toISOString(),
      },
    });
  });

  it('finds the one poison message among 40 by bisection, rejects it with the error detail and handles the other 39', async () => {
    const { sut, mocks } = setup({ poison: ['c-17'] });

    const outcome = await sut(commands(40));

    expect(facts(outcome?.deadLetters ?? [])).toEqual([
      { offset: '17', reason: 'rejected', detail: 'value refused' },
    ]);
    expect(mocks.isolated).toEqual(['17']);
    const others = Array.from({ length: 40 }, (_, offset) => offset).filter((offset) => offset !== 17);
    expect(mocks.handler.handled).toEqual(ids(others));
    expect(mocks.handler.calls.length).toBeLessThanOrEqual(2 * Math.log2(40) + 2);
    expect(outcome?.commitOffset).toBe('40');
  });

  it('throws a transient handler error for the whole batch: no dead letters published, nothing to commit', async () => {
    const { sut, mocks } = setup({ failure: new Error('connection reset') });

    await expect(sut([command(0), message(1, 'not avro'), command(2)])).rejects.toThrow('connection reset');

    expect(mocks.handler.calls).toEqual([ids([0, 2])]);
    expect(mocks.deadLetters.published).toEqual([]);
  });

  it("dead-letters the items the handler answers toDlq for, with the handler's reason", async () => {
    const { sut, mocks } = setup({
      answer: ({ value }) =>
        value.id === 'c-1'
          ? toDlq('invalid', 'sequence unknown')
          : value.id === 'c-3'
            ? toDlq('rejected', 'account closed')
            : ok,
    });

    const outcome = await sut(commands(5));

    expect(facts(outcome?.deadLetters ?? [])).toEqual([
      { offset: '1', reason: 'invalid', detail: 'sequence unknown' },
      { offset: '3', reason: 'rejected', detail: 'account closed' },
    ]);
    expect(mocks.deadLetters.published.map(({ letters }) => facts(letters))).toEqual([
      facts(outcome?.deadLetters ?? []),
    ]);
    expect(outcome?.commitOffset).toBe('5');
  });

  it('throws when the dead-letter sink fails, so the batch is not committed', async () => {
    const { sut, mocks } = setup({ sinkFailure: new Error('dead-letter topic unavailable') });

    await expect(sut([command(0), message(1, 'not avro')])).rejects.toThrow('dead-letter topic unavailable');

    expect(mocks.handler.calls).toEqual([ids([0])]);
  });

  it('throws when the decoder fails for another reason than bad bytes (a registry outage), handling nothing', async () => {
    const { sut, mocks } = setup({ decoderOutage: new Error('ECONNREFUSED') });

    await expect(sut(commands(3))).rejects.toThrow('ECONNREFUSED');

    expect(mocks.handler.calls).toEqual([]);
    expect(mocks.deadLetters.published).toEqual([]);
  });

  it('has nothing to commit for an empty batch', async () => {
    const { sut, mocks } = setup();

    expect(await sut([])).toBeNull();

    expect(mocks.stages).toEqual([]);
  });
});
