import { z } from 'zod';

/** A decoded value turned into a typed one, or the field paths that are wrong. */
export type Validation<T> = { ok: true; value: T } | { ok: false; detail: string };

/**
 * An id as a Postgres `uuid` column takes it: 8-4-4-4-12 hexadecimal digits, any version or variant bits.
 * (`z.uuid()` accepts RFC 9562 ids only.) The message names the field's kind the same way everywhere.
 */
export const uuidSchema = (): z.ZodGUID => z.guid({ error: 'Invalid uuid' });

// C0 and C1 control characters (NUL included): Postgres text refuses NUL and no reader sees the others. Prose
// keeps tab, line feed and carriage return.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const WITHOUT_CONTROL = /^[^\u0000-\u001f\u007f-\u009f]*$/;
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const PROSE_WITHOUT_CONTROL = /^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]*$/;

/** An identifier from outside (a contact, a request, a key): 1 to `max` characters, no control characters. */
export const idText = (max = 200): z.ZodString =>
  z.string().min(1).max(max).regex(WITHOUT_CONTROL, 'control characters are not allowed');

/** Free text from outside (content, a reason): at most `max` characters, no control characters but tab and newlines. */
export const proseText = (max: number): z.ZodString =>
  z
    .string()
    .max(max)
    .regex(PROSE_WITHOUT_CONTROL, 'control characters other than tab and newlines are not allowed');

export interface FieldError {
  path: string;
  message: string;
}

/** Each bad field with its path; an unknown field is named by its own path (`contacts.3.idempotencyKee`). */
export function fieldErrors(issues: readonly z.core.$ZodIssue[]): FieldError[] {
  return issues.flatMap((issue) => {
    const at = issue.path.map(String);
    if (issue.code === 'unrecognized_keys')
      return issue.keys.map((key) => ({ path: [...at, key].join('.'), message: 'unknown field' }));
    return [{ path: at.join('.') || '(root)', message: issue.message }];
  });
}

/** A validator from a zod schema; the detail names every bad field (`path: message; ...`). */
export function validateWith<T>(schema: z.ZodType<T, unknown>): (value: unknown) => Validation<T> {
  return (value) => {
    const parsed = schema.safeParse(value);
    if (parsed.success) return { ok: true, value: parsed.data };
    return {
      ok: false,
      detail: fieldErrors(parsed.error.issues)
        .map((error) => `${error.path}: ${error.message}`)
        .join('; '),
    };
  };
}
