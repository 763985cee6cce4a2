/** The Confluent wire format: magic byte 0x00, a 4-byte big-endian schema id, then the Avro body. */
const HEADER_BYTES = 5;

const shown = (byte: number): string =>
  `0x${byte.toString(16).padStart(2, '0')}${byte >= 0x20 && byte < 0x7f ? ` ('${String.fromCharCode(byte)}')` : ''}`;

/**
 * Why these bytes cannot be a Confluent-framed message, in words a producer outside the project can act on
 * (the usual cause: JSON or plain Avro sent without a schema-registry serializer); null when the header fits.
 */
export function wireFormatProblem(buffer: Buffer): string | null {
  const first = buffer[0];
  if (first === undefined) return 'empty value';
  if (first !== 0) {
    const looksLike = first === 0x7b || first === 0x5b ? 'JSON' : first === 0x22 ? 'a JSON string' : null;
    return (
      `not in the Confluent wire format: the magic byte is ${shown(first)}, expected 0x00 (then a 4-byte schema ` +
      `id and the Avro body)${looksLike ? `; the value looks like ${looksLike}` : ''}: produce it with a ` +
      `schema-registry Avro serializer`
    );
  }
  if (buffer.length < HEADER_BYTES)
    return `not in the Confluent wire format: ${buffer.length} bytes, shorter than its 5-byte header`;
  return null;
}
