import { z } from 'zod';

/** A decoded value turned into a typed one, or the field paths that are wrong. */
export type Validation<T> = { ok: true; value: T } | { ok: false; detail: string };

/**
 * An id as a Postgres `uuid` column takes it: 8-4-4-4-12 hexadecimal digits, any version or variant bits.
 * (`z.uuid()` accepts RFC 9562 ids only.) The message names the field's kind the same way everywhere.
 */
export const uuidSchema = (): z.ZodGUID => z.guid({ error: 'Invalid uuid' });

/** A validator from a zod schema; the detail names every bad field (`path: message; ...`). */
export function validateWith<T>(schema: z.ZodType<T, unknown>): (value: unknown) => Validation<T> {
  return (value) => {
    const parsed = schema.safeParse(value);
    if (parsed.success) return { ok: true, value: parsed.data };
    return {
      ok: false,
      detail: parsed.error.issues
        .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
        .join('; '),
    };
  };
}
