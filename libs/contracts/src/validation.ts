import type { ZodType, ZodTypeDef } from 'zod';

/** A decoded value turned into a typed one, or the field paths that are wrong. */
export type Validation<T> = { ok: true; value: T } | { ok: false; detail: string };

/** A validator from a zod schema; the detail names every bad field (`path: message; ...`). */
export function validateWith<T>(schema: ZodType<T, ZodTypeDef, unknown>): (value: unknown) => Validation<T> {
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
