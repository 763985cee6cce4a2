import { createHash, randomUUID } from 'node:crypto';
import {
  BadRequestException,
  ConflictException,
  Inject,
  Injectable,
  NotFoundException,
  UnprocessableEntityException,
} from '@nestjs/common';
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

/** An answer, and whether it repeats the first call's under the same `Idempotency-Key`. */
export interface Answered<T> {
  body: T;
  replayed: boolean;
}

/** The same `Idempotency-Key` with another request: refused, so that a key never stands for two things. */
class IdempotencyKeyReused extends UnprocessableEntityException {
  constructor(key: string) {
    super({
      error: 'idempotency_key_reused',
      message: `the Idempotency-Key "${key}" was used for another request; use a new key for a new request`,
    });
  }
}

/** What the caller asked, as a stable hash (the validated body, whose keys come in the schema's order). */
const hashOf = (request: object): string =>
  createHash('sha256').update(JSON.stringify(request)).digest('hex');

/** A bulk call's request ids derive from its bulk id, so a replayed call answers the same ones. */
const bulkRequestId = (bulkId: string, index: number): string => `${bulkId}:${index}`;

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
  private async publish(
    caller: Caller,
    commands: EnrollmentCommand[],
    key: { idempotencyKey: string; requestHash: string } | null = null,
  ): Promise<'published' | 'key taken'> {
    const acceptedAt = this.clock.now();
    const recorded = await this.accepted.record(
      commands.map((command) => ({
        accountId: caller.accountId,
        requestId: command.commandId,
        kind: command.kind === 'enroll' ? 'enroll' : transitionKind(command.kind),
        enrollmentId: 'enrollmentId' in command ? command.enrollmentId : null,
        acceptedAt,
        ...(key ?? {}),
      })),
    );
    // Another call with the same key was recorded first (a retry racing its original): it stands.
    if (key && recorded.size === 0) return 'key taken';
    try {
      await this.publisher.publish(commands, { timeoutMs: this.config.KAFKA_PUBLISH_TIMEOUT_MS });
    } catch (error) {
      await this.accepted.forget(
        caller.accountId,
        commands.map((command) => command.commandId),
      );
      throw error;
    }
    return 'published';
  }

  async viaApi(caller: Caller, body: ApiEnrollmentBody, key: string | null): Promise<Answered<Accepted>> {
    const provenance = { apiKeyId: caller.apiKeyId };
    return this.single(caller, body, 'api', provenance, key);
  }

  async manual(caller: Caller, body: ManualEnrollmentBody, key: string | null): Promise<Answered<Accepted>> {
    const provenance = { userId: body.userId, apiKeyId: caller.apiKeyId };
    return this.single(caller, body, 'manual', provenance, key);
  }

  /**
   * Up to 10,000 contacts in one call. With an `Idempotency-Key`, a retried call answers the first call's bulk
   * id and request ids (derived from the bulk id) without enrolling again.
   */
  async bulk(caller: Caller, body: BulkEnrollmentBody, key: string | null): Promise<Answered<BulkAccepted>> {
    const requestHash = hashOf(body);
    const bulkId = randomUUID();
    const created = await this.bulks.create({
      id: bulkId,
      accountId: caller.accountId,
      sequenceId: body.sequenceId,
      requestedBy: body.userId,
      total: body.contacts.length,
      idempotencyKey: key,
      requestHash,
    });
    if (!created && key) {
      const first = await this.bulks.findByKey(caller.accountId, key);
      if (!first)
        throw new ConflictException('the first call with this Idempotency-Key is still being recorded');
      if (first.requestHash !== requestHash) throw new IdempotencyKeyReused(key);
      return { body: bulkAnswer(first.id, body), replayed: true };
    }
    const provenance: Partial<Provenance> = {
      userId: body.userId,
      apiKeyId: caller.apiKeyId,
      bulkId,
    };
    const commands = body.contacts.map((contact, index) =>
      this.enrollCommand(
        caller.accountId,
        { sequenceId: body.sequenceId, ...contact },
        'bulk',
        provenance,
        bulkRequestId(bulkId, index),
      ),
    );
    try {
      await this.publish(caller, commands);
    } catch (error) {
      await this.bulks.remove(caller.accountId, bulkId);
      throw error;
    }
    return { body: bulkAnswer(bulkId, body), replayed: false };
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

  /**
   * One enroll request. With an `Idempotency-Key` (it must match a body `idempotencyKey` if both are sent),
   * a retried call answers the first call's request id without publishing again; the key also travels on the
   * command, so the decision is made once whatever happens to the HTTP exchange.
   */
  private async single(
    caller: Caller,
    body: ApiEnrollmentBody,
    method: 'api' | 'manual',
    provenance: Partial<Provenance>,
    key: string | null,
  ): Promise<Answered<Accepted>> {
    if (key && body.idempotencyKey && key !== body.idempotencyKey)
      throw new BadRequestException({
        error: 'validation_failed',
        errors: [{ path: 'idempotencyKey', message: 'differs from the Idempotency-Key header' }],
      });
    const requestHash = hashOf({ method, ...body });
    const replay = key ? await this.replayOf(caller, key, requestHash) : null;
    if (replay) return replay;
    const command = this.enrollCommand(
      caller.accountId,
      { ...body, idempotencyKey: key ?? body.idempotencyKey },
      method,
      provenance,
    );
    const outcome = await this.publish(caller, [command], key ? { idempotencyKey: key, requestHash } : null);
    if (outcome === 'key taken' && key) {
      const raced = await this.replayOf(caller, key, requestHash);
      if (raced) return raced;
    }
    return { body: { requestId: command.commandId, status: 'accepted' }, replayed: false };
  }

  /** The first call's answer under this key, or null when the key is new; another request under it is refused. */
  private async replayOf(
    caller: Caller,
    key: string,
    requestHash: string,
  ): Promise<Answered<Accepted> | null> {
    const first = await this.accepted.findByKey(caller.accountId, key);
    if (!first) return null;
    if (first.requestHash !== requestHash) throw new IdempotencyKeyReused(key);
    return { body: { requestId: first.requestId, status: 'accepted' }, replayed: true };
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
    commandId: string = randomUUID(),
  ): EnrollCommand {
    return enrollCommand({
      commandId,
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

const bulkAnswer = (bulkId: string, body: BulkEnrollmentBody): BulkAccepted => ({
  bulkId,
  total: body.contacts.length,
  requests: body.contacts.map((contact, index) => ({
    contactId: contact.contactId,
    requestId: bulkRequestId(bulkId, index),
  })),
});

/** The api publishes enroll, pause, resume and cancel commands only. */
function transitionKind(kind: EnrollmentCommand['kind']): 'pause' | 'resume' | 'cancel' {
  if (kind === 'pause' || kind === 'resume' || kind === 'cancel') return kind;
  throw new Error(`the api does not publish ${kind} commands`);
}
