import { readBoundedText } from './bounded-body';

describe('readBoundedText', () => {
  it('reads a body within the bound as UTF-8', async () => {
    await expect(readBoundedText(new Response('olá 😀'), 64)).resolves.toBe('olá 😀');
  });

  it('refuses a body over the bound, announced or streamed', async () => {
    await expect(
      readBoundedText(new Response('x'.repeat(65), { headers: { 'content-length': '65' } }), 64),
    ).rejects.toThrow(/65 bytes, over the 64/);
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(new Uint8Array(40).fill(0x78)); // endless: the reader must stop on its own
      },
    });
    await expect(readBoundedText(new Response(stream), 64)).rejects.toThrow(/over the 64 bytes read/);
  });

  it('refuses bytes that are not UTF-8 instead of guessing', async () => {
    await expect(readBoundedText(new Response(new Uint8Array([0xc3, 0x28])), 64)).rejects.toThrow(
      /not UTF-8/,
    );
  });
});
