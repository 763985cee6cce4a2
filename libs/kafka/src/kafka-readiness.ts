import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { Kafka, type Admin } from 'kafkajs';
import { APP_CONFIG, type AppConfig } from '@cadence/config';
import { Readiness } from '@cadence/observability';
import { EnrollmentCommandsPublisher } from './enrollment-commands.publisher';
import { describeKafkaFailure } from './kafka-failure';
import { SchemaCodec } from './schema-codec';

/**
 * Readiness that asks: the brokers answer a metadata request (with our credentials) and took the last send,
 * and the registry answers a listing. A failure names its cause (authentication, ACLs, TLS, unreachable).
 */
@Injectable()
export class KafkaReadiness implements OnModuleInit, OnApplicationShutdown {
  private admin: Admin | undefined;

  constructor(
    private readonly kafka: Kafka,
    private readonly codec: SchemaCodec,
    private readonly publisher: EnrollmentCommandsPublisher,
    private readonly readiness: Readiness,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.readiness.register('kafka', () => this.askBrokers());
    this.readiness.register('schema-registry', async () => {
      await this.codec.ping(this.config.READINESS_TIMEOUT_MS);
      return true;
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.admin?.disconnect();
  }

  private async askBrokers(): Promise<{ ok: boolean; detail?: string }> {
    try {
      // No retries: readiness wants the answer now; the next probe asks again.
      this.admin ??= this.kafka.admin({ retry: { retries: 0 } });
      await this.admin.connect();
      const { brokers } = await this.admin.describeCluster();
      const writes = this.publisher.status();
      return writes.ok ? { ok: true, detail: `${brokers.length} broker(s)` } : writes;
    } catch (error) {
      return { ok: false, detail: describeKafkaFailure(error, this.config) };
    }
  }
}
