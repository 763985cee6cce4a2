import { Inject, Injectable } from '@nestjs/common';
import { Kafka } from 'kafkajs';
import { APP_CONFIG, type AppConfig } from '@cadence/config';
import {
  contactKey,
  type EnrollmentCommand,
  type EnrollmentLifecycleEvent,
  type Topics,
} from '@cadence/contracts';
import {
  BatchConsumer,
  FatalErrors,
  ContractProducer,
  SchemaCodec,
  TOPICS,
  ok,
  type InboundMessage,
  type MessageResult,
} from '@cadence/kafka';
import { LOGGER, type Logger } from '@cadence/observability';
import type { RoleWorker } from '@cadence/runtime';
import { ApplyTransitionsUseCase } from './apply-transitions.usecase';
import { DecideEnrollmentsUseCase } from './decide-enrollments.usecase';
import { validateEnrollmentCommand } from './enroll-command.validation';
import { OutboxRelay } from '@cadence/runtime';

/** Consumes enroll commands (from every entry point) in per-partition batches. */
@Injectable()
export class EnrollmentCommandsConsumer implements RoleWorker {
  private readonly consumer: BatchConsumer<EnrollmentCommand>;

  constructor(
    kafka: Kafka,
    codec: SchemaCodec,
    private readonly producer: ContractProducer,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(TOPICS) private readonly topics: Topics,
    @Inject(LOGGER) logger: Logger,
    fatalErrors: FatalErrors,
    private readonly decide: DecideEnrollmentsUseCase,
    private readonly transitions: ApplyTransitionsUseCase,
    private readonly relay: OutboxRelay,
  ) {
    this.consumer = new BatchConsumer(kafka, codec, producer.producer, logger, {
      groupId: `${config.CONSUMER_GROUP_PREFIX}enrollment`,
      topics: [topics.enrollmentCommands, topics.automationCommands],
      partitionsConsumedConcurrently: config.CONSUMER_PARTITIONS_CONCURRENTLY,
      fatalErrors,
      handler: {
        name: 'enrollment-commands',
        validate: validateEnrollmentCommand,
        handle: (items) => this.handle(items),
      },
    });
  }

  start(): Promise<void> {
    return this.consumer.start();
  }

  stop(): Promise<void> {
    return this.consumer.stop();
  }

  isReady(): boolean {
    return this.consumer.isReady();
  }

  /**
   * Decides the batch in order: consecutive enroll commands are decided together, and so are consecutive
   * transitions (pause/resume/cancel/exit), so "enroll, cancel, enroll" for one contact ends enrolled.
   */
  private async handle(items: ReadonlyArray<InboundMessage<EnrollmentCommand>>): Promise<MessageResult[]> {
    let changed = 0;
    const lifecycle: EnrollmentLifecycleEvent[] = [];
    for (const run of consecutiveRuns(items.map((item) => item.value))) {
      if (run.enroll) {
        const batch = await this.decide.execute(run.commands);
        lifecycle.push(...batch.lifecycle);
      } else {
        changed += await this.transitions.execute(run.commands);
      }
    }
    // Published before the offsets are committed: a crash in between republishes the same event ids.
    await this.producer.send(
      lifecycle.map((event) => ({
        topic: this.topics.enrollmentLifecycle,
        key: contactKey(event.accountId, event.contactId),
        value: event,
      })),
    );
    if (changed > 0) this.relay.nudge();
    return items.map(() => ok);
  }
}

function consecutiveRuns(
  commands: EnrollmentCommand[],
): Array<{ enroll: boolean; commands: EnrollmentCommand[] }> {
  const runs: Array<{ enroll: boolean; commands: EnrollmentCommand[] }> = [];
  for (const command of commands) {
    const enroll = command.kind === 'enroll';
    const last = runs[runs.length - 1];
    if (last && last.enroll === enroll) last.commands.push(command);
    else runs.push({ enroll, commands: [command] });
  }
  return runs;
}
