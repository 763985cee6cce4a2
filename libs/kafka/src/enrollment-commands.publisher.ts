import { Inject, Injectable } from '@nestjs/common';
import { contactKey, toCommandRecord, type EnrollmentCommand, type Topics } from '@cadence/contracts';
import { ContractProducer } from './contract-producer';
import { KafkaUnavailableError, withinDeadline } from './kafka-unavailable';
import { traceHeaders } from './publishing-adapters';
import { TOPICS } from './topics.token';

const UNACKNOWLEDGED_MEMORY_MS = 30_000;

export interface PublishOptions {
  /** With it, a KafkaUnavailableError once that time passed without the brokers' acknowledgement. */
  timeoutMs?: number;
  /** The trace each command continues (by default the one active at the call). */
  traceOf?: (command: EnrollmentCommand) => string | undefined;
}

/** Hands commands to the enrollment app, keyed by contact, so all decisions about a contact share one lane. */
@Injectable()
export class EnrollmentCommandsPublisher {
  constructor(
    private readonly producer: ContractProducer,
    @Inject(TOPICS) private readonly topics: Topics,
  ) {}

  /** When a send last went unacknowledged past its deadline (cleared by the next acknowledged send). */
  private unacknowledgedAt: number | undefined;

  async publish(commands: readonly EnrollmentCommand[], options: PublishOptions = {}): Promise<void> {
    const sent = this.send(commands, options.traceOf).then(() => {
      this.unacknowledgedAt = undefined;
    });
    if (options.timeoutMs === undefined) return sent;
    try {
      await withinDeadline(sent, options.timeoutMs);
    } catch (error) {
      this.unacknowledgedAt = Date.now();
      // A refused connection can fail a send at once (a broker just died): for the caller it is the same
      // answer, retry later.
      if (error instanceof KafkaUnavailableError) throw error;
      throw new KafkaUnavailableError(options.timeoutMs, Math.max(1, Math.ceil(options.timeoutMs / 1000)));
    }
  }

  /**
   * Not ready while the last send went unacknowledged, for at most UNACKNOWLEDGED_MEMORY_MS: the brokers may
   * answer metadata requests while refusing writes (too few in-sync replicas), and a process taken out of
   * rotation must be able to come back without traffic.
   */
  status(): { ok: boolean; detail?: string } {
    const at = this.unacknowledgedAt;
    if (at === undefined || Date.now() - at > UNACKNOWLEDGED_MEMORY_MS) return { ok: true };
    return {
      ok: false,
      detail: `Kafka did not acknowledge a send ${Math.round((Date.now() - at) / 1000)} s ago (writes refused or brokers unreachable)`,
    };
  }

  private async send(
    commands: readonly EnrollmentCommand[],
    traceOf: PublishOptions['traceOf'],
  ): Promise<void> {
    await this.producer.send(
      commands.map((command) => ({
        topic: this.topics.enrollmentCommands,
        key: contactKey(command.accountId, command.contactId),
        value: toCommandRecord(command),
        headers: traceHeaders(traceOf?.(command)),
      })),
    );
  }
}
