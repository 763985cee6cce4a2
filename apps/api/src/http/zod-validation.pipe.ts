import { BadRequestException, type PipeTransform } from '@nestjs/common';
import type { z } from 'zod';
import { fieldErrors } from '@cadence/contracts';

/**
 * Validates a body or query with zod; a failure answers 400 with every offending field's path.
 *
 * Hand-written on purpose (weighed against nestjs-zod 5.5, its latest release): nestjs-zod's peers stop at
 * @nestjs/common 11 and @nestjs/swagger 11, so it installs beside NestJS 12 only by overriding npm's peer
 * check, and its 400 body differs from this API's `errors: [{ path, message }]`. NestJS 12's own Standard
 * Schema support (`@Body({ schema })`, StandardSchemaValidationPipe, swagger documents from the schema) is the
 * likelier successor to this pipe and to openapi.ts.
 */
export class ZodValidationPipe<T> implements PipeTransform<unknown, T> {
  constructor(private readonly schema: z.ZodType<T, unknown>) {}

  transform(value: unknown): T {
    const parsed = this.schema.safeParse(value);
    if (parsed.success) return parsed.data;
    throw new BadRequestException({
      statusCode: 400,
      error: 'validation_failed',
      errors: fieldErrors(parsed.error.issues),
    });
  }
}
