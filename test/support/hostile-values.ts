/**
 * Seeded generators of hostile input for the property-style tests: strings with control characters, NUL,
 * lone surrogates, direction overrides, huge lengths, SQL and path tricks, and values of the wrong type.
 * The seed is printed by the test, so a failing run can be replayed (HOSTILE_SEED).
 */
export type Random = () => number;

/** mulberry32: a tiny, good-enough PRNG with a 32-bit seed. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const pick = <T>(random: Random, items: readonly T[]): T => {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
};

const PIECES = [
  '\u0000',
  'nul\u0000inside',
  '\u0007bell',
  '\u001b[31mansi',
  '\u007f',
  '\u0085next-line',
  '\u009f',
  '\ud800',
  'lone\udc00low',
  '\u202eevil-rtl',
  'zero\u200bwidth',
  '\ufeffbom',
  'ünï😀',
  '𝕳𝖊𝖑𝖑𝖔',
  'é'.normalize('NFD'),
  '',
  ' ',
  '   padded   ',
  "'; DROP TABLE enrollments; --",
  '../../etc/passwd',
  '%00%0a',
  '{"json":"in a string"}',
  '<script>alert(1)</script>',
  '\t\n\r',
];

/** A hostile string: one or a few pieces, sometimes blown up to tens of thousands of characters. */
export function hostileString(random: Random): string {
  const parts = Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(random, PIECES));
  const text = parts.join('');
  return random() < 0.15 ? text.repeat(Math.ceil(20_000 / Math.max(1, text.length))) : text;
}

/** A hostile value of any JSON type (wrong types included). */
export function hostileValue(random: Random): unknown {
  const roll = random();
  if (roll < 0.55) return hostileString(random);
  if (roll < 0.62) return pick(random, [0, -1, 1.5, 1e308, Number.MAX_SAFE_INTEGER + 2]);
  if (roll < 0.7) return pick(random, [true, false]);
  if (roll < 0.78) return null;
  if (roll < 0.86) return [hostileString(random), 1, null];
  if (roll < 0.94) return { [hostileString(random)]: hostileString(random) };
  return Array.from({ length: 3 }, () => ({ nested: hostileString(random) }));
}

/** `valid` with one field (or a new key) replaced by a hostile value; sometimes the whole body is hostile. */
export function mutate(random: Random, valid: Record<string, unknown>): unknown {
  if (random() < 0.1) return hostileValue(random);
  const keys = Object.keys(valid);
  const copy: Record<string, unknown> = { ...valid };
  if (random() < 0.2 || keys.length === 0)
    copy[hostileString(random).slice(0, 40) || 'extra'] = hostileValue(random);
  else copy[pick(random, keys)] = hostileValue(random);
  return copy;
}
