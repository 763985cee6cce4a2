import { BadRequestException, type PipeTransform } from '@nestjs/common';
import { idText } from '@cadence/contracts';

/**
 * A path parameter that is an id from outside (a request, an event, a conversation): 1 to 200 characters,
 * no control characters. A bad one answers 400 naming the parameter, never a database error.
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
