import { BadRequestException } from '@nestjs/common';

/** Opaque keyset cursor over (created_at, id). */
export const encodeCursor = (row: { createdAt: Date; id: string }): string =>
  Buffer.from(`${new Date(row.createdAt).toISOString()}|${row.id}`).toString('base64url');

export function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  const [time, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(time ?? '');
  if (!id || Number.isNaN(createdAt.getTime())) {
    throw new BadRequestException({
      statusCode: 400,
      error: 'validation_failed',
      errors: [{ path: 'cursor', message: 'invalid cursor' }],
    });
  }
  return { createdAt, id };
}
