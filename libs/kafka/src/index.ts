export { createKafka, type KafkaClientOptions } from './kafka-client';
export { kafkaConnection } from './kafka-connection';
export { describeKafkaFailure } from './kafka-failure';
export { SchemaCodec, UndecodableMessageError, isTransientRegistryError } from './schema-codec';
export {
  applyTopicPlan,
  clusterSize,
  describeExisting,
  ensureTopics,
  waitForLeaders,
  type TopicPlanOutcome,
} from './topic-bootstrap';
export {
  planTopics,
  checkPlan,
  compareWithCluster,
  defaultReplicationFactor,
  defaultMinInsyncReplicas,
  type PlannedTopic,
  type ExistingTopic,
  type TopicFinding,
} from './topic-plan';
export { BatchConsumer, type BatchConsumerOptions } from './batch-consumer';
export { type Refusal, type StreamHandler } from './stream-handler';
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
export {
  readDeadLetters,
  type DeadLetterReading,
  type DeadLetterSummary,
  type DeadLetterReadOptions,
} from './dead-letter-reader';
export { accountOfLetter, DLQ_ACCOUNT_HEADER } from './dead-letter-account';
export { KafkaUnavailableError, withinDeadline } from './kafka-unavailable';
export { groupLag } from './group-lag';
export { connectContractClients } from './contract-clients';
export { KafkaLifecyclePublisher, KafkaOutboundCommandPublisher } from './publishing-adapters';
