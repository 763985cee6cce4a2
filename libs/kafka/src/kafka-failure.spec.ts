import { loadConfig } from '@cadence/config';
import {
  KafkaJSAggregateError,
  KafkaJSConnectionError,
  KafkaJSNumberOfRetriesExceeded,
  KafkaJSProtocolError,
} from 'kafkajs';
import { describeKafkaFailure } from './kafka-failure';

// Two classes kafkajs raises whose type declarations are off: KafkaJSCreateTopicError (createTopics raises it
// per topic) is left out, and KafkaJSSASLAuthenticationError is declared without the message it is given.
const { KafkaJSCreateTopicError, KafkaJSSASLAuthenticationError } = jest.requireActual<{
  KafkaJSCreateTopicError: new (cause: Error, topic: string) => Error;
  KafkaJSSASLAuthenticationError: new (message: string) => Error;
}>('kafkajs');

const PASSWORD = 's3cret-password-value';

const config = loadConfig({
  KAFKA_BROKERS: 'kafka-1:9093,kafka-2:9093',
  KAFKA_SASL_MECHANISM: 'scram-sha-512',
  KAFKA_SASL_USERNAME: 'cadence-engine',
  KAFKA_SASL_PASSWORD: PASSWORD,
  KAFKA_TOPIC_PREFIX: 'prod.cadence.',
  CONSUMER_GROUP_PREFIX: 'prod.cadence-group.',
});
const anonymous = loadConfig({
  KAFKA_BROKERS: 'kafka-1:9093,kafka-2:9093',
  KAFKA_SASL_MECHANISM: 'none',
  KAFKA_SASL_USERNAME: undefined,
  KAFKA_SASL_PASSWORD: undefined,
  KAFKA_TOPIC_PREFIX: 'prod.cadence.',
  CONSUMER_GROUP_PREFIX: 'prod.cadence-group.',
});

/** A broker's error code as kafkajs decodes it (src/protocol/error.js), then raises it. */
const protocolError = (type: string, code: number, message: string) =>
  new KafkaJSProtocolError(Object.assign(new Error(message), { type, code, retriable: false }));
const topicDenied = () =>
  protocolError(
    'TOPIC_AUTHORIZATION_FAILED',
    29,
    'Not authorized to access topics: [Topic authorization failed]',
  );
const groupDenied = () =>
  protocolError(
    'GROUP_AUTHORIZATION_FAILED',
    30,
    'Not authorized to access group: Group authorization failed',
  );
const afterRetries = (cause: Error) =>
  new KafkaJSNumberOfRetriesExceeded(cause, { retryCount: 5, retryTime: 3_000 });
const refused = () =>
  new KafkaJSConnectionError('Connection error: connect ECONNREFUSED 10.0.0.7:9093', {
    broker: 'kafka-1:9093',
    code: 'ECONNREFUSED',
  });

describe('describeKafkaFailure', () => {
  it('names the mechanism and the user of refused SASL credentials, and never the password', () => {
    const described = describeKafkaFailure(
      new KafkaJSSASLAuthenticationError(
        'SASL SCRAM SHA512 authentication failed: Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512',
      ),
      config,
    );
    expect(described).toBe(
      'authentication failed: the brokers refused scram-sha-512 credentials of user "cadence-engine" (check KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD)',
    );
    expect(described).not.toContain(PASSWORD);
  });

  it('finds a SASL failure kafkajs gave up retrying on', () => {
    const described = describeKafkaFailure(
      afterRetries(new KafkaJSSASLAuthenticationError('SASL PLAIN authentication failed')),
      config,
    );
    expect(described).toMatch(/^authentication failed: .*"cadence-engine"/);
    expect(described).not.toContain(PASSWORD);
  });

  it.each([
    ['as raised', (error: Error) => error],
    ['after kafkajs gave up retrying', afterRetries],
    [
      'among the errors of an aggregate',
      (error: Error) => new KafkaJSAggregateError('Multiple errors', [refused(), error]),
    ],
    [
      'after retries of an aggregate',
      (error: Error) => afterRetries(new KafkaJSAggregateError('Multiple errors', [error])),
    ],
  ])('names the principal and both prefixes of a topic ACL refusal %s', (_how, wrap) => {
    expect(describeKafkaFailure(wrap(topicDenied()), config)).toBe(
      'not authorized: User:cadence-engine lacks an ACL on a topic (TOPIC_AUTHORIZATION_FAILED); grant it on the topic prefix "prod.cadence." and the group prefix "prod.cadence-group."',
    );
  });

  it.each([
    ['as raised', (error: Error) => error],
    ['after kafkajs gave up retrying', afterRetries],
    [
      'among the errors of an aggregate',
      (error: Error) => new KafkaJSAggregateError('Multiple errors', [refused(), error]),
    ],
  ])('names the principal and both prefixes of a group ACL refusal %s', (_how, wrap) => {
    expect(describeKafkaFailure(wrap(groupDenied()), config)).toBe(
      'not authorized: User:cadence-engine lacks an ACL on a group (GROUP_AUTHORIZATION_FAILED); grant it on the topic prefix "prod.cadence." and the group prefix "prod.cadence-group."',
    );
  });

  it('names the topic an ACL refusal was about when kafkajs says it, as createTopics does', () => {
    const described = describeKafkaFailure(
      new KafkaJSAggregateError('Topic creation errors', [
        new KafkaJSCreateTopicError(topicDenied(), 'prod.cadence.domain-events'),
      ]),
      config,
    );
    expect(described).toContain(
      'lacks an ACL on a topic (prod.cadence.domain-events) (TOPIC_AUTHORIZATION_FAILED)',
    );
  });

  it('calls a client without SASL “the client” in an ACL refusal', () => {
    expect(describeKafkaFailure(groupDenied(), anonymous)).toMatch(
      /^not authorized: the client lacks an ACL on a group/,
    );
  });

  it.each([
    ['SELF_SIGNED_CERT_IN_CHAIN', 'self-signed certificate in certificate chain'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate'],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'unable to verify the first certificate'],
    ['CERT_HAS_EXPIRED', 'certificate has expired'],
    [
      'ERR_TLS_CERT_ALTNAME_INVALID',
      "Hostname/IP does not match certificate's altnames: Host: kafka-1. is not in the cert's altnames: DNS:localhost",
    ],
    [
      'ERR_SSL_WRONG_VERSION_NUMBER',
      'C0D7A3E7F47F0000:error:0A00010B:SSL routines:ssl3_get_record:wrong version number',
    ],
  ])('says TLS failed and points at KAFKA_SSL_CA_FILE on %s', (code, nodeMessage) => {
    const error = new KafkaJSConnectionError(`Connection error: ${nodeMessage}`, {
      broker: 'kafka-1:9093',
      code,
    });
    expect(describeKafkaFailure(afterRetries(error), config)).toBe(
      `TLS with the brokers failed: Connection error: ${nodeMessage} (check KAFKA_SSL and KAFKA_SSL_CA_FILE)`,
    );
  });

  it('recognises a TLS failure by its code alone', () => {
    const error = new KafkaJSConnectionError('Connection error', {
      broker: 'kafka-1:9093',
      code: 'SELF_SIGNED_CERT_IN_CHAIN',
    });
    expect(describeKafkaFailure(error, config)).toMatch(/^TLS with the brokers failed: .*KAFKA_SSL_CA_FILE/);
  });

  it.each([
    ['a refused connection', refused(), 'Connection error: connect ECONNREFUSED 10.0.0.7:9093'],
    [
      'an unknown host',
      new KafkaJSConnectionError('Connection error: getaddrinfo ENOTFOUND kafka-1', { code: 'ENOTFOUND' }),
      'Connection error: getaddrinfo ENOTFOUND kafka-1',
    ],
    ['a connection timeout', new KafkaJSConnectionError('Connection timeout'), 'Connection timeout'],
  ])('says no broker is reachable, listing the brokers, on %s', (_case, error, message) => {
    expect(describeKafkaFailure(afterRetries(error), config)).toBe(
      `no broker reachable at kafka-1:9093,kafka-2:9093: ${message}`,
    );
  });

  it('prefers the ACL refusal to the unreachable brokers when both are among the causes', () => {
    const aggregate = new KafkaJSAggregateError('Multiple errors', [refused(), refused(), topicDenied()]);
    expect(describeKafkaFailure(aggregate, config)).toMatch(/^not authorized: /);
  });

  it('falls back to the outermost error’s name and message, or the value itself', () => {
    expect(describeKafkaFailure(new TypeError('boom'), config)).toBe('TypeError: boom');
    expect(describeKafkaFailure('a string thrown', config)).toBe('a string thrown');
    expect(describeKafkaFailure(undefined, config)).toBe('undefined');
  });

  it('ends on an error that is its own cause', () => {
    const error = new Error('loops');
    Object.assign(error, { cause: error });
    expect(describeKafkaFailure(error, config)).toBe('Error: loops');
  });

  it('never contains the SASL password, whatever the failure', () => {
    const failures: unknown[] = [
      new KafkaJSSASLAuthenticationError('SASL PLAIN authentication failed'),
      topicDenied(),
      groupDenied(),
      refused(),
      new KafkaJSConnectionError('Connection error: self-signed certificate', {
        code: 'DEPTH_ZERO_SELF_SIGNED_CERT',
      }),
      new Error('something else'),
    ];
    for (const failure of failures) expect(describeKafkaFailure(failure, config)).not.toContain(PASSWORD);
  });
});
