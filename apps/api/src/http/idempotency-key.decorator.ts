import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { OptionalIdHeaderPipe } from './id-param.pipe';

const header = new OptionalIdHeaderPipe('Idempotency-Key');

/**
 * The caller's `Idempotency-Key` header (an id: 1 to 200 characters, no control characters), or null.
 * Nest's own `@Headers()` takes no pipe, hence a decorator of its own.
 */
export const IdempotencyKey = createParamDecorator((_: unknown, context: ExecutionContext): string | null => {
  const value = context.switchToHttp().getRequest<Request>().headers['idempotency-key'];
  return header.transform(Array.isArray(value) ? value.join(',') : value);
});
