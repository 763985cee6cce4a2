import { randomUUID } from 'node:crypto';
import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import {
  cancelCommand,
  enrollCommand,
  pauseCommand,
  resumeCommand,
  type EnrollCommand,
  type EnrollmentCommand,
  type EnrollmentMethod,
  type Provenance,
  type TargetRef,
} from '@cadence/contracts';
import type { Clock } from '@cadence/domain';
import {
  AcceptedRequestsRepository,
  BulkEnrollmentsRepository,
  EnrollmentQueriesRepository,
} from '@cadence/persistence';
import { CLOCK } from '@cadence/runtime';
import { APP_CONFIG, type AppConfig } from '@cadence/config';
import type { Caller } from '../http/api-key.guard';
import { EnrollmentCommandsPublisher } from '@cadence/kafka';
import type {
  ApiEnrollmentBody,
  BulkEnrollmentBody,
  ManualEnrollmentBody,
  TransitionBody,
} from './enrollment-request.schemas';

export interface Accepted {
  requestId: string;
  status: 'accepted';
}

export interface BulkAccepted {
  bulkId: string;
  total: number;
  requests: Array<{ contactId: string; requestId: string }>;
}

/** Turns HTTP requests into enrollment commands (the decision comes later, from the enrollment app). */
@Injectable()
export class RequestEnrollmentsUseCase {
  constructor(
    private readonly publisher: EnrollmentCommandsPublisher,
    private readonly bulks: BulkEnrollmentsRepository,
    private readonly queries: EnrollmentQueriesRepository,
    private readonly accepted: AcceptedRequestsRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Recorded as accepted (so that a lookup answers `pending` until the decision is made), then published.
   * Bounded: while Kafka is unreachable the caller gets a 503 with Retry-After, not a request held for minutes,
   * and the requests are forgotten again (the caller retries; nothing stays `pending` that was never sent).
   */
  private async publish(caller: Caller, commands: EnrollmentCommand[]): Promise<void> {
    const acceptedAt = this.clock.now();
    await this.accepted.record(
      commands.map((command) => ({
        accountId: caller.accountId,
        requestId: command.commandId,
        kind: command.kind === 'enroll' ? 'enroll' : transitionKind(command.kind),
        enrollmentId: 'enrollmentId' in command ? command.enrollmentId : null,
        acceptedAt,
      })),
    );
    try {
      await this.publisher.publish(commands, { timeoutMs: this.config.KAFKA_PUBLISH_TIMEOUT_MS });
    } catch (error) {
      await this.accepted.forget(
        caller.accountId,
        commands.map((command) => command.commandId),
      );
      throw error;
    }
  }

  async viaApi(caller: Caller, body: ApiEnrollmentBody): Promise<Accepted> {
    const provenance = { apiKeyId: caller.apiKeyId };
    return this.single(caller, body, 'api', provenance);
  }

  async manual(caller: Caller, body: ManualEnrollmentBody): Promise<Accepted> {
    const provenance = { userId: body.userId, apiKeyId: caller.apiKeyId };
    return this.single(caller, body, 'manual', provenance);
  }

  async bulk(caller: Caller, body: BulkEnrollmentBody): Promise<BulkAccepted> {
    const bulkId = randomUUID();
    await this.bulks.create({
      id: bulkId,
      accountId: caller.accountId,
      sequenceId: body.sequenceId,
      requestedBy: body.userId,
      total: body.contacts.length,
    });
    const provenance: Partial<Provenance> = {
      userId: body.userId,
      apiKeyId: caller.apiKeyId,
      bulkId,
    };
    const commands = body.contacts.map((contact) =>
      this.enrollCommand(caller.accountId, { sequenceId: body.sequenceId, ...contact }, 'bulk', provenance),
    );
    try {
      await this.publish(caller, commands);
    } catch (error) {
      await this.bulks.remove(caller.accountId, bulkId);
      throw error;
    }
    return {
      bulkId,
      total: commands.length,
      requests: commands.map((command) => ({ contactId: command.contactId, requestId: command.commandId })),
    };
  }

  async transition(
    caller: Caller,
    enrollmentId: string,
    kind: 'pause' | 'resume' | 'cancel',
    body: TransitionBody,
  ): Promise<Accepted> {
    const enrollment = await this.queries.find(caller.accountId, enrollmentId);
    if (!enrollment) throw new NotFoundException(`enrollment ${enrollmentId} not found`);
    const command = TRANSITIONS[kind]({
      commandId: randomUUID(),
      accountId: caller.accountId,
      contactId: enrollment.contactId,
      requestedAt: this.clock.now().getTime(),
      enrollmentId,
      provenance: { apiKeyId: caller.apiKeyId, userId: body.userId ?? null },
    });
    await this.publish(caller, [command]);
    return { requestId: command.commandId, status: 'accepted' };
  }

  private async single(
    caller: Caller,
    body: ApiEnrollmentBody,
    method: 'api' | 'manual',
    provenance: Partial<Provenance>,
  ): Promise<Accepted> {
    const command = this.enrollCommand(caller.accountId, body, method, provenance);
    await this.publish(caller, [command]);
    return { requestId: command.commandId, status: 'accepted' };
  }

  private enrollCommand(
    accountId: string,
    request: {
      sequenceId: string;
      contactId: string;
      target?: TargetRef | null | undefined;
      idempotencyKey?: string | undefined;
    },
    method: EnrollmentMethod,
    provenance: Partial<Provenance>,
  ): EnrollCommand {
    return enrollCommand({
      commandId: randomUUID(),
      accountId,
      contactId: request.contactId,
      requestedAt: this.clock.now().getTime(),
      sequenceId: request.sequenceId,
      method,
      target: request.target ?? null,
      idempotencyKey: request.idempotencyKey ?? null,
      provenance,
    });
  }
}

const TRANSITIONS = { pause: pauseCommand, resume: resumeCommand, cancel: cancelCommand };

/** The api publishes enroll, pause, resume and cancel commands only. */
function transitionKind(kind: EnrollmentCommand['kind']): 'pause' | 'resume' | 'cancel' {
  if (kind === 'pause' || kind === 'resume' || kind === 'cancel') return kind;
  throw new Error(`the api does not publish ${kind} commands`);
}
