import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Kafka } from 'kafkajs';
import { APP_CONFIG, type AppConfig } from '@cadence/config';
import { topicsFor, type Topics } from '@cadence/contracts';
import { LOGGER, type Logger } from '@cadence/observability';
import { ConsumerMetrics } from './consumer-metrics';
import { ContractProducer } from './contract-producer';
import { createKafka } from './kafka-client';
import { FatalErrors } from './fatal-errors';
import { EnrollmentCommandsPublisher } from './enrollment-commands.publisher';
import { SchemaCodec } from './schema-codec';
import { TOPICS } from './topics.token';
import { ensureTopics } from './topic-bootstrap';

/** Kafka for a process: the client, the schema codec (schemas registered at boot) and one producer. */
@Global()
@Module({
  providers: [
    FatalErrors,
    ConsumerMetrics,
    EnrollmentCommandsPublisher,
    {
      provide: TOPICS,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): Topics => topicsFor(config.KAFKA_TOPIC_PREFIX),
    },
    {
      provide: Kafka,
      inject: [APP_CONFIG, LOGGER, TOPICS],
      useFactory: async (config: AppConfig, logger: Logger, topics: Topics) => {
        const kafka = createKafka(config, logger, String(process.pid));
        const admin = kafka.admin();
        await admin.connect();
        try {
          const created = await ensureTopics(admin, topics, {
            enrollmentCommands: config.KAFKA_ENROLLMENT_COMMAND_PARTITIONS,
            other: config.KAFKA_DEFAULT_PARTITIONS,
          });
          if (created.length > 0) logger.info({ created }, 'topics created');
        } finally {
          await admin.disconnect();
        }
        return kafka;
      },
    },
    {
      provide: SchemaCodec,
      inject: [APP_CONFIG, TOPICS],
      useFactory: async (config: AppConfig, topics: Topics) => {
        const codec = new SchemaCodec(config.SCHEMA_REGISTRY_URL);
        await codec.registerAll(topics);
        return codec;
      },
    },
    {
      provide: ContractProducer,
      inject: [Kafka, SchemaCodec],
      useFactory: async (kafka: Kafka, codec: SchemaCodec) => {
        const producer = new ContractProducer(kafka, codec);
        await producer.connect();
        return producer;
      },
    },
  ],
  exports: [
    TOPICS,
    Kafka,
    SchemaCodec,
    ContractProducer,
    FatalErrors,
    EnrollmentCommandsPublisher,
    ConsumerMetrics,
  ],
})
export class KafkaModule implements OnApplicationShutdown {
  constructor(@Inject(ContractProducer) private readonly producer: ContractProducer) {}

  async onApplicationShutdown(): Promise<void> {
    await this.producer.disconnect();
  }
}
