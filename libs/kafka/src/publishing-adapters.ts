import { Inject, Injectable } from '@nestjs/common';
import {
  contactKey,
  type EnrollmentLifecycleEvent,
  type OutboundMessageCommand,
  type Topics,
} from '@cadence/contracts';
import type { LifecyclePublisher, OutboundCommandPublisher, TraceParentOf } from '@cadence/domain';
import { TRACEPARENT_HEADER } from '@cadence/observability';
import { ContractProducer } from './contract-producer';
import { TOPICS } from './topics.token';

/** The headers that make a message continue `traceParent` (none: it joins the sender's active trace). */
export const traceHeaders = (traceParent: string | null | undefined): Record<string, string> | undefined =>
  traceParent ? { [TRACEPARENT_HEADER]: traceParent } : undefined;

/** Lifecycle events straight to their topic, keyed by contact. */
@Injectable()
export class KafkaLifecyclePublisher implements LifecyclePublisher {
  constructor(
    private readonly producer: ContractProducer,
    @Inject(TOPICS) private readonly topics: Topics,
  ) {}

  async publish(
    events: readonly EnrollmentLifecycleEvent[],
    traceOf?: TraceParentOf<EnrollmentLifecycleEvent>,
  ): Promise<void> {
    await this.producer.send(
      events.map((event) => ({
        topic: this.topics.enrollmentLifecycle,
        key: contactKey(event.accountId, event.contactId),
        value: event,
        headers: traceHeaders(traceOf?.(event)),
      })),
    );
  }
}

/** Channel commands to their channel's topic, keyed by contact. */
@Injectable()
export class KafkaOutboundCommandPublisher implements OutboundCommandPublisher {
  constructor(
    private readonly producer: ContractProducer,
    @Inject(TOPICS) private readonly topics: Topics,
  ) {}

  async publish(
    commands: readonly OutboundMessageCommand[],
    traceOf?: TraceParentOf<OutboundMessageCommand>,
  ): Promise<void> {
    await this.producer.send(
      commands.map((command) => ({
        topic: this.topics.outbound[command.channel],
        key: contactKey(command.accountId, command.contactId),
        value: command,
        headers: traceHeaders(traceOf?.(command)),
      })),
    );
  }
}
