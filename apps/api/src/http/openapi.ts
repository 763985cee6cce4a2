import { ApiBody, ApiQuery } from '@nestjs/swagger';
import type { ZodObject, ZodRawShape, ZodTypeAny } from 'zod';
import { zodToJsonSchema } from 'zod-to-json-schema';

type JsonSchemaInput = Parameters<typeof zodToJsonSchema>[0];

const jsonSchema = (schema: ZodTypeAny): object =>
  zodToJsonSchema(schema as unknown as JsonSchemaInput, { target: 'openApi3', $refStrategy: 'none' });

/** The OpenAPI body of a route, from the same zod schema that validates it. */
export const ApiZodBody = (schema: ZodTypeAny): MethodDecorator => ApiBody({ schema: jsonSchema(schema) });

/** One OpenAPI query parameter per field of a zod object. */
export function ApiZodQuery(schema: ZodObject<ZodRawShape>): MethodDecorator {
  const decorators = Object.entries(schema.shape).map(([name, field]: [string, ZodTypeAny]) =>
    ApiQuery({ name, required: !field.isOptional(), schema: jsonSchema(field) }),
  );
  return (target, key, descriptor) => {
    decorators.forEach((decorator) => decorator(target, key, descriptor));
  };
}
