import { GenericContainer, Wait } from 'testcontainers';
import { KafkaContainer } from '@testcontainers/kafka';
import { PostgreSqlContainer } from '@testcontainers/postgresql';
import type { Endpoints } from './resolve-infrastructure';

/** The same three services as docker-compose.yml, for machines with a Docker engine. Ryuk removes them after the run. */
export async function startContainers(): Promise<Endpoints> {
  const [kafka, registry, postgres] = await Promise.all([
    new KafkaContainer('apache/kafka:4.1.1').withKraft().start(),
    new GenericContainer('apicurio/apicurio-registry:3.3.3')
      .withExposedPorts(8080)
      .withWaitStrategy(Wait.forHttp('/apis/ccompat/v7/subjects', 8080))
      .start(),
    new PostgreSqlContainer('postgres:15')
      .withDatabase('cadence')
      .withUsername('postgres')
      .withPassword('postgres')
      .start(),
  ]);
  return {
    KAFKA_BROKERS: `${kafka.getHost()}:${kafka.getMappedPort(9093)}`,
    SCHEMA_REGISTRY_URL: `http://${registry.getHost()}:${registry.getMappedPort(8080)}/apis/ccompat/v7`,
    DATABASE_URL: postgres.getConnectionUri(),
  };
}
