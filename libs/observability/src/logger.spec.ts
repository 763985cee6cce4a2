import { redact } from './logger';

// createLogger writes through pino.destination({ fd: 1 }) straight to the file descriptor, past
// process.stdout, so these tests exercise the function every line it writes goes through: redact.
describe('redact', () => {
  const secret = 's3cret-password-value';

  it('replaces a secret as written', () => {
    expect(redact(`{"msg":"login with ${secret} failed"}`, [secret])).toBe(
      '{"msg":"login with [redacted] failed"}',
    );
  });

  it('replaces every occurrence, not only the first', () => {
    expect(redact(`${secret} and ${secret} again`, [secret])).toBe('[redacted] and [redacted] again');
  });

  it.each([
    ['a quote', 'pa"ss-word'],
    ['a backslash', 'pa\\ss-word'],
    ['a newline', 'pa\nss-word'],
    ['a quote and a backslash', 'x"y\\z-secret'],
  ])('replaces a secret with %s as JSON escapes it in a log line', (_case, special) => {
    const line = JSON.stringify({ level: 30, msg: `connecting with ${special} now` });
    const redacted = redact(line, [special]);
    expect(redacted).toBe('{"level":30,"msg":"connecting with [redacted] now"}');
    expect(JSON.parse(redacted)).toEqual({ level: 30, msg: 'connecting with [redacted] now' });
  });

  it('replaces a secret URL-encoded, as in a connection string a library logged', () => {
    const password = 'p@ss/w:rd?1';
    const url = `postgres://cadence:${encodeURIComponent(password)}@db:5432/cadence`;
    expect(url).toBe('postgres://cadence:p%40ss%2Fw%3Ard%3F1@db:5432/cadence');
    expect(redact(JSON.stringify({ msg: `cannot reach ${url}` }), [password])).toBe(
      '{"msg":"cannot reach postgres://cadence:[redacted]@db:5432/cadence"}',
    );
  });

  it('replaces each of several secrets wherever each appears', () => {
    const line = JSON.stringify({
      msg: 'retrying',
      sasl: 'kafka-pass-1',
      registry: 'https://user:reg%2Bpass@registry',
      key: 'sk-maestro-key',
    });
    expect(JSON.parse(redact(line, ['kafka-pass-1', 'reg+pass', 'sk-maestro-key']))).toEqual({
      msg: 'retrying',
      sasl: '[redacted]',
      registry: 'https://user:[redacted]@registry',
      key: '[redacted]',
    });
  });

  it('leaves a line without any secret as it is', () => {
    const line = '{"level":30,"role":"api","msg":"listening on 127.0.0.1:3000"}';
    expect(redact(line, [secret, 'another-secret'])).toBe(line);
    expect(redact(line, [])).toBe(line);
  });

  it('leaves text that only resembles a secret', () => {
    expect(redact('s3cret-password-valu and S3CRET-PASSWORD-VALUE', [secret])).toBe(
      's3cret-password-valu and S3CRET-PASSWORD-VALUE',
    );
  });

  it('leaves no part of a secret that contains another secret', () => {
    const redacted = redact('sasl=password123 registry=password1', ['password1', 'password123']);
    expect(redacted).toBe('sasl=[redacted] registry=[redacted]');
  });

  it('keeps the JSON log line valid when a secret ends in a backslash', () => {
    const special = 'trailing-backslash\\';
    const redacted = redact(JSON.stringify({ msg: `with ${special}` }), [special]);
    expect(redacted).toBe('{"msg":"with [redacted]"}');
  });

  it.each([
    ['a newline before it', 'nsecret-x', { msg: 'a\nsecret-x' }],
    ['a control character before it', '001fsecret', { msg: 'a\u001fsecret' }],
    ['a quote after it', 'secret-x\\', { msg: 'secret-x"' }],
  ])(
    'leaves text that is not the secret but resembles it across %s in a JSON escape',
    (_case, secret, value) => {
      const line = JSON.stringify(value);
      expect(redact(line, [secret])).toBe(line);
    },
  );
});
