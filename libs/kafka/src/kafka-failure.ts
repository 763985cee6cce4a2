import type { AppConfig } from '@cadence/config';

/** The errors a failure carries, outermost first: kafkajs wraps causes in retries and aggregates. */
function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  const queue: unknown[] = [error];
  while (queue.length > 0 && chain.length < 20) {
    const next = queue.shift();
    if (!next || typeof next !== 'object' || chain.includes(next)) continue;
    chain.push(next);
    const { cause, originalError, errors } = next as {
      cause?: unknown;
      originalError?: unknown;
      errors?: unknown;
    };
    queue.push(cause, originalError, ...(Array.isArray(errors) ? (errors as unknown[]) : []));
  }
  return chain;
}

const field = (error: unknown, name: string): string => {
  const value = (error as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : '';
};

const TLS_FAILURE =
  /certificate|self[- ]signed|unable to verify|CERT_|ERR_TLS|ERR_SSL|SSL routines|wrong version number|handshake/i;

/**
 * One sentence that names why Kafka refused or failed the engine, for logs and readiness: authentication,
 * authorization (ACLs), TLS, or no broker reachable. Never contains a secret (only the user name).
 */
export function describeKafkaFailure(error: unknown, config: AppConfig): string {
  const chain = causeChain(error);
  const principal = config.KAFKA_SASL_USERNAME ? `User:${config.KAFKA_SASL_USERNAME}` : 'the client';
  for (const cause of chain) {
    if (field(cause, 'name') === 'KafkaJSSASLAuthenticationError')
      return `authentication failed: the brokers refused ${config.KAFKA_SASL_MECHANISM} credentials of user "${config.KAFKA_SASL_USERNAME ?? ''}" (check KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD)`;
    // kafkajs reports a group it may not describe as a coordinator it cannot find.
    if (field(cause, 'name') === 'KafkaJSGroupCoordinatorNotFound' && config.KAFKA_SASL_MECHANISM !== 'none')
      return `not authorized: ${principal} cannot find its consumer group's coordinator, most likely for lack of an ACL on the group prefix "${config.CONSUMER_GROUP_PREFIX}" (or the brokers are still starting)`;
    const type = field(cause, 'type');
    if (type.endsWith('_AUTHORIZATION_FAILED')) {
      const resource = type.replace('_AUTHORIZATION_FAILED', '').toLowerCase();
      const topic = field(cause, 'topic');
      return `not authorized: ${principal} lacks an ACL on a ${resource}${topic ? ` (${topic})` : ''} (${type}); grant it on the topic prefix "${config.KAFKA_TOPIC_PREFIX}" and the group prefix "${config.CONSUMER_GROUP_PREFIX}"`;
    }
  }
  for (const cause of chain) {
    const text = `${field(cause, 'code')} ${field(cause, 'message')}`;
    if (TLS_FAILURE.test(text))
      return `TLS with the brokers failed: ${field(cause, 'message')} (check KAFKA_SSL and KAFKA_SSL_CA_FILE)`;
  }
  for (const cause of chain) {
    const text = `${field(cause, 'code')} ${field(cause, 'message')}`;
    if (
      /ECONNREFUSED|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|EAI_AGAIN|Connection timeout|Closed connection/i.test(
        text,
      )
    )
      return `no broker reachable at ${config.KAFKA_BROKERS.join(',')}: ${field(cause, 'message')}`;
  }
  const first = chain[0];
  return first instanceof Error ? `${first.name}: ${first.message}` : String(error);
}
