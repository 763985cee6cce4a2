import { ApiBody, ApiQuery } from '@nestjs/swagger';
import type { ZodObject, ZodRawShape, ZodTypeAny } from 'zod';
import { zodToJsonSchema } from 'zod-to-json-schema';

/** The OpenAPI body of a route, from the same zod schema that validates it. */
export const ApiZodBody = (schema: ZodTypeAny): MethodDecorator =>
  ApiBody({ schema: zodToJsonSchema(schema, { target: 'openApi3', $refStrategy: 'none' }) as object });

/** One OpenAPI query parameter per field of a zod object. */
export function ApiZodQuery(schema: ZodObject<ZodRawShape>): MethodDecorator {
  const decorators = Object.entries(schema.shape).map(([name, field]) =>
    ApiQuery({
      name,
      required: !(field as ZodTypeAny).isOptional(),
      schema: zodToJsonSchema(field as ZodTypeAny, { target: 'openApi3', $refStrategy: 'none' }) as object,
    }),
  );
  return (target, key, descriptor) => {
    decorators.forEach((decorator) => decorator(target, key, descriptor));
  };
}
