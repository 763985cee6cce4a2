import { truncateText, wellFormedText } from './bounded-text';

describe('text made safe for Postgres', () => {
  it('replaces lone surrogates, keeps pairs and everything else', () => {
    expect(wellFormedText('a\ud800b')).toBe('a\ufffdb');
    expect(wellFormedText('\udc00x')).toBe('\ufffdx');
    expect(wellFormedText('😀 ok')).toBe('😀 ok');
    expect(wellFormedText('x\ud83d')).toBe('x\ufffd');
    // What JSON.stringify then writes is jsonb-safe: no \\ud800-style escape is left.
    expect(JSON.stringify(wellFormedText('\ud800'))).toBe('"\ufffd"');
  });

  it('truncates without cutting a surrogate pair', () => {
    expect(truncateText('ab😀', 3)).toBe('ab');
    expect(truncateText('abc', 5)).toBe('abc');
  });
});
