import type { CustomTransportStrategy } from '@nestjs/microservices';

export interface StreamConsumer {
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Hosts our own kafkajs stream consumers inside Nest's microservice lifecycle (instead of Nest's Kafka
 * transport, which processes message by message and blocks a partition on a poison message).
 * Attach with app.connectMicroservice({ strategy }); app.close() stops the consumers before the
 * application's shutdown hooks close the producers and the database.
 */
export class KafkaStreamTransport implements CustomTransportStrategy {
  constructor(private readonly consumers: StreamConsumer[]) {}

  listen(callback: (error?: unknown) => void): void {
    Promise.all(this.consumers.map((consumer) => consumer.start())).then(
      () => callback(),
      (error: unknown) => callback(error),
    );
  }

  async close(): Promise<void> {
    await Promise.all(this.consumers.map((consumer) => consumer.stop()));
  }
}
