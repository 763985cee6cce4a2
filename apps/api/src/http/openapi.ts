import { ApiBody, ApiQuery } from '@nestjs/swagger';
import { z } from 'zod';

/**
 * A request's JSON Schema (OpenAPI 3.0), from the zod schema that validates it: what a client may send, so
 * fields with a default are optional. An object lists every field the API reads; zod drops any other, and the
 * document says `additionalProperties: false` (zod leaves that out of an input schema).
 */
const jsonSchema = (schema: z.core.$ZodType): object =>
  z.toJSONSchema(schema, {
    target: 'openapi-3.0',
    io: 'input',
    reused: 'inline',
    override: ({ zodSchema, jsonSchema: json }) => {
      if (zodSchema._zod.def.type === 'object' && json.additionalProperties === undefined)
        json.additionalProperties = false;
    },
  });

/** The OpenAPI body of a route, from the same zod schema that validates it. */
export const ApiZodBody = (schema: z.ZodType): MethodDecorator => ApiBody({ schema: jsonSchema(schema) });

/** One OpenAPI query parameter per field of a zod object. */
export function ApiZodQuery(schema: z.ZodObject<z.core.$ZodShape>): MethodDecorator {
  const decorators = Object.entries(schema.shape).map(([name, field]) =>
    ApiQuery({ name, required: !z.safeParse(field, undefined).success, schema: jsonSchema(field) }),
  );
  return (target, key, descriptor) => {
    decorators.forEach((decorator) => decorator(target, key, descriptor));
  };
}
