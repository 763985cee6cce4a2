import { Writable } from 'node:stream';
import pino from 'pino';
import { QueryLogger } from './query-logger';

function capture(): { logger: pino.Logger; lines: () => Array<Record<string, unknown>> } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return {
    logger: pino({ level: 'info' }, stream),
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

describe('QueryLogger', () => {
  it('logs a failed batched query as one JSON line without its parameter values', () => {
    const { logger, lines } = capture();
    const error = Object.assign(new Error('invalid input syntax for type uuid: "bulk-7"'), {
      code: '22P02',
      parameters: [Array.from({ length: 5_000 }, (_, i) => `value-${i}`)],
    });
    new QueryLogger(logger).logQueryError(error, `INSERT INTO t SELECT * FROM unnest($1::text[])`, [
      Array.from({ length: 5_000 }, (_, i) => `value-${i}`),
    ]);

    const [line] = lines();
    expect(line).toMatchObject({
      level: 40,
      msg: 'query failed',
      query: 'INSERT INTO t SELECT * FROM unnest($1::text[])',
      parameters: 1,
      error: { name: 'Error', message: 'invalid input syntax for type uuid: "bulk-7"', code: '22P02' },
    });
    expect(JSON.stringify(line)).not.toContain('value-1');
  });
});
