import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Kafka } from 'kafkajs';
import { APP_CONFIG, type AppConfig } from '@cadence/config';
import { topicsFor, type Topics } from '@cadence/contracts';
import { LifecyclePublisher, OutboundCommandPublisher } from '@cadence/domain';
import { LOGGER, type Logger } from '@cadence/observability';
import { ConsumerMetrics } from './consumer-metrics';
import { ContractProducer } from './contract-producer';
import { createKafka } from './kafka-client';
import { KafkaLifecyclePublisher, KafkaOutboundCommandPublisher } from './publishing-adapters';
import { FatalErrors } from './fatal-errors';
import { EnrollmentCommandsPublisher } from './enrollment-commands.publisher';
import { SchemaCodec } from './schema-codec';
import { TOPICS } from './topics.token';
import { KafkaReadiness } from './kafka-readiness';

/** Kafka for a process: the client, the schema codec (schemas registered at boot) and one producer. */
@Global()
@Module({
  providers: [
    FatalErrors,
    ConsumerMetrics,
    EnrollmentCommandsPublisher,
    KafkaReadiness,
    { provide: LifecyclePublisher, useClass: KafkaLifecyclePublisher },
    { provide: OutboundCommandPublisher, useClass: KafkaOutboundCommandPublisher },
    {
      provide: TOPICS,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): Topics => topicsFor(config.KAFKA_TOPIC_PREFIX),
    },
    {
      provide: Kafka,
      // The topics were planned and checked before the process booted (the runtime's preflight).
      inject: [APP_CONFIG, LOGGER],
      useFactory: (config: AppConfig, logger: Logger) => createKafka(config, logger, String(process.pid)),
    },
    {
      provide: SchemaCodec,
      inject: [APP_CONFIG, TOPICS],
      useFactory: async (config: AppConfig, topics: Topics) => {
        const codec = SchemaCodec.fromConfig(config);
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
    LifecyclePublisher,
    OutboundCommandPublisher,
  ],
})
export class KafkaModule implements OnApplicationShutdown {
  constructor(@Inject(ContractProducer) private readonly producer: ContractProducer) {}

  async onApplicationShutdown(): Promise<void> {
    await this.producer.disconnect();
  }
}
