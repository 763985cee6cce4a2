export { createKafka } from './kafka-client';
export { SchemaCodec, UndecodableMessageError, isTransientRegistryError } from './schema-codec';
export { ensureTopics, waitForLeaders, type PartitionPlan } from './topic-bootstrap';
export { BatchConsumer, type StreamHandler, type BatchConsumerOptions } from './batch-consumer';
export { publishDeadLetters, deadLetterRecord, type DeadLetter } from './dlq-publisher';
export {
  ok,
  toDlq,
  offsetAfter,
  type InboundMessage,
  type MessageResult,
  type Validation,
  type DlqReason,
} from './message-result';
export { KafkaStreamTransport, type StreamConsumer } from './kafka-stream.transport';
export { ContractProducer } from './contract-producer';
export { KafkaModule } from './kafka.module';
export { TOPICS } from './topics.token';
export { EnrollmentCommandsPublisher } from './enrollment-commands.publisher';
export { FatalErrors } from './fatal-errors';
export { ConsumerMetrics } from './consumer-metrics';
export { replayDeadLetters, type ReplayReport } from './dead-letter-replay';
