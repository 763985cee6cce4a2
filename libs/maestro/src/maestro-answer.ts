import { truncateText } from '@cadence/domain';
import { z } from 'zod';
import type { MaestroAnswer } from './maestro.port';

/** Characters kept of the Maestro's reason (the command's field takes 2,000; a reason is a sentence). */
export const REASON_MAX = 500;

/** The Maestro answered something the gate cannot read: counted as a failure, and the gate fails open. */
export class UnreadableAnswerError extends Error {
  override name = 'UnreadableAnswerError';
}

// Extra fields are ignored (a model adding "confidence" still answered); the two asked for must be typed right.
const answerShape = z.object({ followUp: z.boolean(), reason: z.string() });

/** The answer, if it has a boolean `followUp` and a string `reason`; its reason sanitised. */
export function parseAnswer(raw: unknown): MaestroAnswer {
  const parsed = answerShape.safeParse(raw);
  if (!parsed.success)
    throw new UnreadableAnswerError('the Maestro’s answer is not {"followUp": boolean, "reason": string}');
  return { followUp: parsed.data.followUp, reason: sanitiseReason(parsed.data.reason) };
}

// C0 and C1 controls (NUL, escapes, newlines), line and paragraph separators, and bidirectional overrides:
// none belongs in a one-line reason, and NUL is refused by Postgres.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * A reason safe to record and to show: one line of printable text, lone surrogates replaced (they are not
 * UTF-8), blanks collapsed, at most `REASON_MAX` characters, never empty. Whatever the Maestro (or an error
 * message quoting it) said, the command carrying it still validates downstream.
 */
export function sanitiseReason(raw: string): string {
  const cleaned = truncateText(raw, REASON_MAX * 4)
    .replace(UNPRINTABLE, ' ')
    .replace(LONE_SURROGATE, '\ufffd')
    .replace(/\s+/g, ' ')
    .trim();
  return truncateText(cleaned, REASON_MAX) || '(no reason given)';
}
