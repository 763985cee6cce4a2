import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig, secretValues } from './load-config';

/** Every variable these tests touch starts unset, whatever the environment running them holds. */
const load = (overrides: Record<string, string | undefined> = {}) =>
  loadConfig({
    KAFKA_SSL: undefined,
    KAFKA_SSL_CERT_FILE: undefined,
    KAFKA_SSL_KEY_FILE: undefined,
    KAFKA_SASL_MECHANISM: undefined,
    KAFKA_SASL_USERNAME: undefined,
    KAFKA_SASL_PASSWORD: undefined,
    KAFKA_SASL_PASSWORD_FILE: undefined,
    SCHEMA_REGISTRY_USERNAME: undefined,
    SCHEMA_REGISTRY_PASSWORD: undefined,
    SCHEMA_REGISTRY_PASSWORD_FILE: undefined,
    MAESTRO_API_KEY: undefined,
    MAESTRO_API_KEY_FILE: undefined,
    DATABASE_URL: undefined,
    ...overrides,
  });

const failureOf = (overrides: Record<string, string | undefined>): ConfigError => {
  try {
    load(overrides);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('the configuration was accepted');
};

const SASL_PASSWORD = 's3cret-password-value';
const REGISTRY_PASSWORD = 'registry-pass-9f2';
const MAESTRO_KEY = 'sk-maestro-4471';
const DATABASE_PASSWORD = 'p@ss/word:42';
const secured = {
  KAFKA_SASL_MECHANISM: 'scram-sha-512',
  KAFKA_SASL_USERNAME: 'cadence-engine',
  KAFKA_SASL_PASSWORD: SASL_PASSWORD,
  SCHEMA_REGISTRY_USERNAME: 'registry-user',
  SCHEMA_REGISTRY_PASSWORD: REGISTRY_PASSWORD,
  MAESTRO_API_KEY: MAESTRO_KEY,
  DATABASE_URL: `postgres://cadence:${encodeURIComponent(DATABASE_PASSWORD)}@db:5432/cadence`,
};

describe('loadConfig', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'load-config-'));
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const secretFile = (name: string, content: string): string => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };

  it.each([
    ['KAFKA_SASL_PASSWORD', { KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'cadence-engine' }],
    ['SCHEMA_REGISTRY_PASSWORD', { SCHEMA_REGISTRY_USERNAME: 'registry-user' }],
    ['MAESTRO_API_KEY', {}],
  ] as const)(
    'reads %s from the file <NAME>_FILE names, without its surrounding whitespace',
    (name, rest) => {
      const path = secretFile(`${name}.txt`, '  from-the-mounted-file\n');
      expect(load({ ...rest, [`${name}_FILE`]: path })[name]).toBe('from-the-mounted-file');
    },
  );

  it('prefers the variable itself to its file, and does not read the file then', () => {
    const config = load({
      ...secured,
      KAFKA_SASL_PASSWORD_FILE: join(dir, 'does-not-exist'),
    });
    expect(config.KAFKA_SASL_PASSWORD).toBe(SASL_PASSWORD);
  });

  it.each([
    ['a missing file', () => join(dir, 'does-not-exist'), 'ENOENT'],
    ['a directory', () => dir, 'EISDIR'],
  ])('refuses %s as a secret file, naming the variable, the path and the cause', (_case, path, code) => {
    const error = failureOf({ KAFKA_SASL_PASSWORD_FILE: path() });
    expect(error.message).toBe(
      `Invalid configuration:\n  KAFKA_SASL_PASSWORD_FILE: cannot read ${path()} (${code})`,
    );
  });

  it.each([
    ['plain', { KAFKA_SASL_PASSWORD: SASL_PASSWORD }],
    ['scram-sha-256', { KAFKA_SASL_PASSWORD: SASL_PASSWORD }],
    ['scram-sha-512', { KAFKA_SASL_USERNAME: 'cadence-engine' }],
  ])('refuses SASL %s without both a user and a password, naming KAFKA_SASL_USERNAME', (mechanism, rest) => {
    const error = failureOf({ KAFKA_SASL_MECHANISM: mechanism, ...rest });
    expect(error.message).toContain(
      `KAFKA_SASL_USERNAME: KAFKA_SASL_MECHANISM=${mechanism} needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD (or KAFKA_SASL_PASSWORD_FILE)`,
    );
  });

  it('accepts SASL with a user and a password, and no SASL with neither', () => {
    const config = load({
      KAFKA_SASL_MECHANISM: 'plain',
      KAFKA_SASL_USERNAME: 'u',
      KAFKA_SASL_PASSWORD: 'p',
    });
    expect([config.KAFKA_SASL_MECHANISM, config.KAFKA_SASL_USERNAME, config.KAFKA_SASL_PASSWORD]).toEqual([
      'plain',
      'u',
      'p',
    ]);
    expect(load().KAFKA_SASL_MECHANISM).toBe('none');
  });

  it.each([
    ['a certificate without a key', { KAFKA_SSL_CERT_FILE: '/run/secrets/client.pem' }],
    ['a key without a certificate', { KAFKA_SSL_KEY_FILE: '/run/secrets/client.key' }],
  ])('refuses mutual TLS with %s', (_case, overrides) => {
    expect(failureOf(overrides).message).toContain(
      'KAFKA_SSL_CERT_FILE: mutual TLS needs both KAFKA_SSL_CERT_FILE and KAFKA_SSL_KEY_FILE',
    );
  });

  it.each([
    ['a user without a password', { SCHEMA_REGISTRY_USERNAME: 'registry-user' }],
    ['a password without a user', { SCHEMA_REGISTRY_PASSWORD: REGISTRY_PASSWORD }],
  ])('refuses registry basic auth with %s', (_case, overrides) => {
    expect(failureOf(overrides).message).toContain(
      'SCHEMA_REGISTRY_USERNAME: registry basic auth needs both SCHEMA_REGISTRY_USERNAME and SCHEMA_REGISTRY_PASSWORD',
    );
  });

  it('names every offending variable in one error', () => {
    const message = failureOf({
      KAFKA_SASL_MECHANISM: 'plain',
      KAFKA_SSL_CERT_FILE: '/run/secrets/client.pem',
      SCHEMA_REGISTRY_USERNAME: 'registry-user',
    }).message;
    expect(message.split('\n')).toEqual([
      'Invalid configuration:',
      expect.stringMatching(/^ {2}KAFKA_SASL_USERNAME: /),
      expect.stringMatching(/^ {2}KAFKA_SSL_CERT_FILE: /),
      expect.stringMatching(/^ {2}SCHEMA_REGISTRY_USERNAME: /),
    ]);
  });

  it('refuses a retention that would forget decisions before the command topics forget commands', () => {
    expect(failureOf({ RETENTION_DAYS: '7' }).message).toMatch(
      /RETENTION_DAYS: .*longer than the command topics/,
    );
    expect(failureOf({ KAFKA_TOPICS_COMMANDS_RETENTION_MS: '-1' }).message).toContain('RETENTION_DAYS');
    expect(load({ RETENTION_DAYS: '8' }).RETENTION_DAYS).toBe(8);
  });

  it('names a mismatched pair and an invalid variable in one error', () => {
    const message = failureOf({ KAFKA_SASL_MECHANISM: 'plain', HTTP_PORT: 'not-a-port' }).message;
    expect(message).toContain('HTTP_PORT');
    expect(message).toContain('KAFKA_SASL_USERNAME');
  });

  it('never puts the value of an invalid variable in its error, as a secret pasted in the wrong place', () => {
    const message = failureOf({ KAFKA_SASL_MECHANISM: SASL_PASSWORD }).message;
    expect(message).toContain('KAFKA_SASL_MECHANISM');
    expect(message).not.toContain(SASL_PASSWORD);
  });

  it.each([
    [undefined, false],
    ['true', true],
    ['false', false],
  ])('reads KAFKA_SSL=%s as %s', (value, ssl) => {
    expect(load({ KAFKA_SSL: value }).KAFKA_SSL).toBe(ssl);
  });

  it.each(['yes', '1', 'TRUE', ''])('refuses KAFKA_SSL=%j, naming the variable', (value) => {
    expect(failureOf({ KAFKA_SSL: value }).message).toMatch(/^Invalid configuration:\n {2}KAFKA_SSL: /);
  });

  it.each([
    [
      'mismatched pairs',
      {
        KAFKA_SASL_USERNAME: undefined,
        SCHEMA_REGISTRY_USERNAME: undefined,
        KAFKA_SSL_CERT_FILE: '/run/secrets/c.pem',
      },
      ['KAFKA_SASL_USERNAME', 'SCHEMA_REGISTRY_USERNAME', 'KAFKA_SSL_CERT_FILE'],
    ],
    ['an invalid port', { HTTP_PORT: 'not-a-port' }, ['HTTP_PORT']],
  ])('never puts a secret in its error on %s', (_case, wrong, named) => {
    const message = failureOf({ ...secured, ...wrong }).message;
    for (const name of named) expect(message).toContain(name);
    for (const secret of [SASL_PASSWORD, REGISTRY_PASSWORD, MAESTRO_KEY, DATABASE_PASSWORD])
      expect(message).not.toContain(secret);
  });
});

describe('secretValues', () => {
  it('lists the SASL password, the registry password, the Maestro key and the database password, URL-decoded', () => {
    expect(secretValues(load(secured))).toEqual([
      SASL_PASSWORD,
      REGISTRY_PASSWORD,
      MAESTRO_KEY,
      DATABASE_PASSWORD,
    ]);
  });

  it('lists no user name, host or other setting', () => {
    const secrets = secretValues(load(secured));
    for (const visible of ['cadence-engine', 'registry-user', 'cadence', 'db', '5432', 'scram-sha-512'])
      expect(secrets).not.toContain(visible);
  });

  it('lists nothing when no secret is configured', () => {
    expect(secretValues(load({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/cadence' }))).toEqual([]);
    expect(secretValues(load({ MAESTRO_API_KEY: '' }))).toEqual([]);
  });

  it('lists only the database password when it is the only secret', () => {
    expect(secretValues(load({ DATABASE_URL: 'postgresql://app:plain-db-pass@db/cadence' }))).toEqual([
      'plain-db-pass',
    ]);
  });

  it('lists a secret read from its file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'secret-values-'));
    try {
      const path = join(dir, 'maestro-key');
      writeFileSync(path, `${MAESTRO_KEY}\n`);
      expect(secretValues(load({ MAESTRO_API_KEY_FILE: path }))).toEqual([MAESTRO_KEY]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
