import { BadRequestException, type PipeTransform } from '@nestjs/common';
import { idText } from '@cadence/contracts';

/**
 * A path parameter or header that is an id from outside (a request, an event, a conversation, an idempotency
 * key): 1 to 200 characters, no control characters. A bad one answers 400 naming it, never a database error.
 */
export class IdParamPipe implements PipeTransform<unknown, string> {
  constructor(private readonly name: string) {}

  transform(value: unknown): string {
    const parsed = idText().safeParse(value);
    if (parsed.success) return parsed.data;
    throw new BadRequestException({
      statusCode: 400,
      error: 'validation_failed',
      errors: parsed.error.issues.map((issue) => ({ path: this.name, message: issue.message })),
    });
  }
}

/** The same for a header the caller may leave out: absent is null. */
export class OptionalIdHeaderPipe implements PipeTransform<unknown, string | null> {
  private readonly id: IdParamPipe;

  constructor(name: string) {
    this.id = new IdParamPipe(name);
  }

  transform(value: unknown): string | null {
    return value === undefined ? null : this.id.transform(value);
  }
}
