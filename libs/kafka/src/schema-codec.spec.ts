import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SchemaCodec, UndecodableMessageError, isTransientRegistryError } from './schema-codec';
import { wireFormatProblem } from './wire-format';

describe('SchemaCodec against a registry that never answers', () => {
  let server: Server;
  let url: string;

  beforeAll(async () => {
    server = createServer(() => undefined); // accepts every request, answers none
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((closed) => server.close(closed));
  });

  it('gives up after its timeout with an error worth retrying, not a dead letter', async () => {
    const codec = new SchemaCodec({ url }, 200);
    const framed = Buffer.from([0, 0, 0, 0, 42, 2, 4]); // magic byte, schema id 42, payload
    const started = Date.now();
    const error: unknown = await codec.decode(framed).then(
      () => null,
      (failure: unknown) => failure,
    );
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(error).not.toBeInstanceOf(UndecodableMessageError);
    expect(isTransientRegistryError(error)).toBe(true);
  });
});

describe('wireFormatProblem says why bytes from outside are not Confluent-framed', () => {
  it.each([
    [Buffer.from('{"id":"e-1"}'), /magic byte is 0x7b \('\{'\), expected 0x00 .*looks like JSON/],
    [Buffer.from('"text"'), /looks like a JSON string/],
    [Buffer.from([0x02, 0x04]), /magic byte is 0x02, expected 0x00/],
    [Buffer.from([0, 0, 1]), /3 bytes, shorter than its 5-byte header/],
    [Buffer.alloc(0), /empty value/],
  ])('%s', (bytes, expected) => {
    expect(wireFormatProblem(bytes)).toMatch(expected);
  });

  it('lets a framed message through to the registry', () => {
    expect(wireFormatProblem(Buffer.from([0, 0, 0, 0, 42, 2, 4]))).toBeNull();
  });
});
