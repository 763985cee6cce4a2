import { Injectable } from '@nestjs/common';
import type { DomainEvent, EnrollCommand, EnrollmentCommand } from '@cadence/contracts';
import {
  EnrollmentCommandsPublisher,
  ok,
  type InboundMessage,
  type MessageResult,
  type Refusal,
  type StreamHandler,
} from '@cadence/kafka';
import { EventTracesRepository } from '@cadence/persistence';
import type { SpanSet } from '@cadence/observability';
import { eventSpans } from './event-spans';
import { refusedEventTrace, routedEventTrace } from './event-trace';
import { validateDomainEvent } from './domain-event.validation';
import { AiGate, maestroProvenance } from '@cadence/maestro';
import { RecentMessagesLoader } from './recent-messages.loader';
import { enrollCommandFor } from './route-domain-event';
import { exitCommandForEvent, preferenceCommandForEvent } from './route-exit-events';
import { SequenceTriggerIndex, type IndexedSequence } from './sequence-trigger-index';

/**
 * Domain events → enroll commands for every sequence listening to their type; exit-rule events → exit commands.
 * AI-cued enrollments first ask the Maestro, all at once, and each command is sent as soon as its own answer
 * arrives: a slow answer (bounded by the timeout) holds back only its own contact.
 */
@Injectable()
export class DomainEventsHandler implements StreamHandler<DomainEvent> {
  readonly name = 'domain-events';
  readonly validate = validateDomainEvent;

  constructor(
    private readonly commands: EnrollmentCommandsPublisher,
    private readonly index: SequenceTriggerIndex,
    private readonly gate: AiGate,
    private readonly traces: EventTracesRepository,
    private readonly conversations: RecentMessagesLoader,
  ) {}

  async handle(items: ReadonlyArray<InboundMessage<DomainEvent>>): Promise<MessageResult[]> {
    const spans = eventSpans(items);
    await spans.runToEnd(() => this.route(items, spans));
    return items.map(() => ok);
  }

  private async route(items: ReadonlyArray<InboundMessage<DomainEvent>>, spans: SpanSet): Promise<void> {
    const direct: EnrollmentCommand[] = [];
    const gated: Array<Promise<void>> = [];
    const receivedAt = new Date();
    const traces = items.map(({ value: event }) => {
      const enrolls = this.index.listeners(event.accountId, event.type).map((listener) => {
        const command = enrollCommandFor(event, listener);
        if (command.method === 'ai' && listener.maestroEnabled)
          gated.push(this.sendAfterGate(command, event, listener, spans));
        else direct.push(command);
        return command;
      });
      const implied = exitCommandForEvent(event) ?? preferenceCommandForEvent(event);
      if (implied) direct.push(implied);
      return routedEventTrace(event, enrolls, implied, receivedAt);
    });
    // Beside the commands, before the offsets are committed: a failure of either retries the batch (the
    // trace's first write stands, the commands' ids are stable), so no routed event stays untraced.
    await Promise.all([this.traces.record(traces), this.send(direct, spans), ...gated]);
  }

  /** An event refused as invalid still leaves a trace, when it names its account and its id. */
  async recordRefusals(refusals: readonly Refusal[]): Promise<void> {
    const receivedAt = new Date();
    await this.traces.record(refusals.flatMap((refusal) => refusedEventTrace(refusal, receivedAt) ?? []));
  }

  private async sendAfterGate(
    command: EnrollCommand,
    event: DomainEvent,
    listener: IndexedSequence,
    spans: SpanSet,
  ): Promise<void> {
    // The conversation the event names, if the inactivity watcher tracks it: one query for the whole batch.
    const conversationId = event.entities.conversationId;
    const recentMessages = conversationId
      ? await this.conversations.recentMessages({ accountId: event.accountId, conversationId })
      : [];
    const verdict = await this.gate.ask({
      accountId: event.accountId,
      contactId: event.contactId,
      sequenceId: listener.sequenceId,
      eventType: event.type,
      conversationId,
      data: event.data,
      recentMessages,
    });
    await this.send(
      [{ ...command, provenance: { ...command.provenance, ...maestroProvenance(verdict) } }],
      spans,
    );
  }

  /** Each command continues the span of the event it was routed from. */
  private send(commands: EnrollmentCommand[], spans: SpanSet): Promise<void> {
    return this.commands.publish(commands, {
      traceOf: (command) => spans.traceParentOf(command.provenance.eventId),
    });
  }
}
