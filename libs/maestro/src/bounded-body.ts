/** The most the gate reads of a Maestro answer: a chat completion with a one-line JSON answer is far smaller. */
export const ANSWER_BYTES_MAX = 64 * 1024;

/**
 * The response body as UTF-8 text, reading at most `maxBytes`: a larger body (announced or streamed) is
 * cancelled and refused, and bytes that are not UTF-8 are refused, rather than guessed at.
 */
export async function readBoundedText(response: Response, maxBytes = ANSWER_BYTES_MAX): Promise<string> {
  const announced = Number(response.headers.get('content-length') ?? 0);
  if (announced > maxBytes) {
    await response.body?.cancel();
    throw new Error(`the Maestro's answer is ${announced} bytes, over the ${maxBytes} read`);
  }
  if (!response.body) return '';
  const reader: ReadableStreamDefaultReader<Uint8Array> = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new Error(`the Maestro's answer is over the ${maxBytes} bytes read`);
    }
    chunks.push(value);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw new Error('the Maestro answered bytes that are not UTF-8');
  }
}
