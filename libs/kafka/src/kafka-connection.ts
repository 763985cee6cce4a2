import { readFileSync } from 'node:fs';
import type { KafkaConfig, SASLOptions } from 'kafkajs';
import type { AppConfig } from '@cadence/config';

/**
 * How every client of the engine (apps, scripts, tests, benches) reaches the brokers: addresses, TLS (a CA
 * for private clusters, a certificate and key for mutual TLS) and SASL (plain or SCRAM).
 */
export function kafkaConnection(
  config: AppConfig,
): Pick<KafkaConfig, 'brokers' | 'ssl' | 'sasl' | 'connectionTimeout'> {
  return {
    brokers: config.KAFKA_BROKERS,
    // TLS and a SCRAM exchange on a busy host can take more than kafkajs's default second.
    connectionTimeout: config.KAFKA_CONNECTION_TIMEOUT_MS,
    ...(config.KAFKA_SSL ? { ssl: tlsOptions(config) } : {}),
    ...(config.KAFKA_SASL_MECHANISM !== 'none' ? { sasl: saslOptions(config) } : {}),
  };
}

function tlsOptions(config: AppConfig): KafkaConfig['ssl'] {
  const { KAFKA_SSL_CA_FILE: ca, KAFKA_SSL_CERT_FILE: cert, KAFKA_SSL_KEY_FILE: key } = config;
  if (!ca && !cert) return true;
  return {
    ...(ca ? { ca: [readPem(ca, 'KAFKA_SSL_CA_FILE')] } : {}),
    ...(cert && key
      ? { cert: readPem(cert, 'KAFKA_SSL_CERT_FILE'), key: readPem(key, 'KAFKA_SSL_KEY_FILE') }
      : {}),
  };
}

function saslOptions(config: AppConfig): SASLOptions {
  const username = config.KAFKA_SASL_USERNAME ?? '';
  const password = config.KAFKA_SASL_PASSWORD ?? '';
  switch (config.KAFKA_SASL_MECHANISM) {
    case 'plain':
      return { mechanism: 'plain', username, password };
    case 'scram-sha-256':
      return { mechanism: 'scram-sha-256', username, password };
    case 'scram-sha-512':
    case 'none':
      return { mechanism: 'scram-sha-512', username, password };
  }
}

function readPem(file: string, setting: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`${setting}: cannot read ${file} (${String((error as { code?: unknown }).code)})`);
  }
}
