/**
 * The first `max` UTF-16 code units of `text` (what zod's `max` and Postgres count alike), never cutting a
 * surrogate pair in half: a lone surrogate is not valid UTF-8, and Postgres refuses it in jsonb.
 */
export function truncateText(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const last = cut.charCodeAt(cut.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? cut.slice(0, -1) : cut;
}

// A surrogate without its pair: no valid UTF-8 encodes it.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * `text` with each lone surrogate replaced by U+FFFD: what a text column stores of it (the driver encodes it so),
 * and what a jsonb value can hold (Postgres refuses the escape of a lone surrogate).
 */
export const wellFormedText = (text: string): string => text.replace(LONE_SURROGATE, '\ufffd');
