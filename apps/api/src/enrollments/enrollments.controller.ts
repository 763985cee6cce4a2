import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Res,
  UseGuards,
} from '@nestjs/common';
import type { Response } from 'express';
import { ApiSecurity, ApiTags } from '@nestjs/swagger';
import { acceptedAt } from '../http/accepted-response';
import { ApiAnswers } from '../http/api-answers';
import { EXAMPLES } from '../http/examples';
import { ApiKeyGuard, type Caller } from '../http/api-key.guard';
import { IdempotencyKey } from '../http/idempotency-key.decorator';
import { CurrentCaller } from '../http/caller.decorator';
import { ApiZodBody, ApiZodQuery } from '../http/openapi';
import { ZodValidationPipe } from '../http/zod-validation.pipe';
import {
  bulkEnrollmentBody,
  apiEnrollmentBody,
  manualEnrollmentBody,
  transitionBody,
  type ApiEnrollmentBody,
  type BulkEnrollmentBody,
  type ManualEnrollmentBody,
  type TransitionBody,
} from './enrollment-request.schemas';
import {
  bulkResultsQuery,
  enrollmentListQuery,
  type BulkResultsQuery,
  type EnrollmentListQuery,
} from './enrollment-list.schemas';
import { EnrollmentReadsService } from './enrollment-reads.service';
import {
  RequestEnrollmentsUseCase,
  type Accepted,
  type Answered,
  type BulkAccepted,
} from './request-enrollments.usecase';

/** A single enroll's 202: where its decision will be, and whether this answer repeats the first call's. */
function decisionAnswer(response: Response, answer: Answered<Accepted>): Accepted {
  acceptedAt(response, `/v1/decisions/${answer.body.requestId}`, answer.replayed);
  return answer.body;
}

@ApiTags('enrollments')
@ApiSecurity('api-key')
@UseGuards(ApiKeyGuard)
@Controller('v1/enrollments')
export class EnrollmentsController {
  constructor(
    private readonly requests: RequestEnrollmentsUseCase,
    private readonly reads: EnrollmentReadsService,
  ) {}

  /** Public API enrollment: accepted now, decided by the enrollment app (see GET /v1/decisions/:requestId). */
  @Post()
  @HttpCode(202)
  @ApiZodBody(apiEnrollmentBody)
  @ApiAnswers({
    operationId: 'enrollViaApi',
    summary: 'Enroll a contact (public API)',
    path: '/v1/enrollments',
    ok: {
      status: 202,
      description: 'Accepted; Location is where its decision will be',
      example: EXAMPLES.accepted,
    },
    errors: [400, 415, 422, 503],
  })
  async enrollViaApi(
    @CurrentCaller() caller: Caller,
    @Body(new ZodValidationPipe(apiEnrollmentBody)) body: ApiEnrollmentBody,
    @IdempotencyKey() key: string | null,
    @Res({ passthrough: true }) response: Response,
  ): Promise<Accepted> {
    return decisionAnswer(response, await this.requests.viaApi(caller, body, key));
  }

  @Post('manual')
  @HttpCode(202)
  @ApiZodBody(manualEnrollmentBody)
  @ApiAnswers({
    operationId: 'enrollManually',
    summary: 'Enroll a contact by hand (a CRM user)',
    path: '/v1/enrollments/manual',
    ok: {
      status: 202,
      description: 'Accepted; Location is where its decision will be',
      example: EXAMPLES.accepted,
    },
    errors: [400, 415, 422, 503],
  })
  async enrollManually(
    @CurrentCaller() caller: Caller,
    @Body(new ZodValidationPipe(manualEnrollmentBody)) body: ManualEnrollmentBody,
    @IdempotencyKey() key: string | null,
    @Res({ passthrough: true }) response: Response,
  ): Promise<Accepted> {
    return decisionAnswer(response, await this.requests.manual(caller, body, key));
  }

  @Post('bulk')
  @HttpCode(202)
  @ApiZodBody(bulkEnrollmentBody)
  @ApiAnswers({
    operationId: 'enrollInBulk',
    summary: 'Enroll up to 10,000 contacts',
    path: '/v1/enrollments/bulk',
    ok: { status: 202, description: 'Accepted; Location is the progress', example: EXAMPLES.bulkAccepted },
    errors: [400, 409, 415, 422, 503],
  })
  async enrollInBulk(
    @CurrentCaller() caller: Caller,
    @Body(new ZodValidationPipe(bulkEnrollmentBody)) body: BulkEnrollmentBody,
    @IdempotencyKey() key: string | null,
    @Res({ passthrough: true }) response: Response,
  ): Promise<BulkAccepted> {
    const answer = await this.requests.bulk(caller, body, key);
    acceptedAt(response, `/v1/enrollments/bulk/${answer.body.bulkId}`, answer.replayed);
    return answer.body;
  }

  @Get('bulk/:bulkId')
  @ApiZodQuery(bulkResultsQuery)
  @ApiAnswers({
    operationId: 'getBulkEnrollment',
    summary: "A bulk call's progress and results",
    path: '/v1/enrollments/bulk/{bulkId}',
    ok: {
      status: 200,
      description: 'Progress by reason (and results on request)',
      example: EXAMPLES.bulkProgress,
    },
    errors: [400, 404],
  })
  bulk(
    @CurrentCaller() caller: Caller,
    @Param('bulkId', ParseUUIDPipe) bulkId: string,
    @Query(new ZodValidationPipe(bulkResultsQuery)) query: BulkResultsQuery,
  ) {
    return this.reads.bulk(caller.accountId, bulkId, query.results === 'true');
  }

  @Get()
  @ApiZodQuery(enrollmentListQuery)
  @ApiAnswers({
    operationId: 'listEnrollments',
    summary: 'The enrollments list, newest first',
    path: '/v1/enrollments',
    ok: {
      status: 200,
      description: 'A page and the cursor of the next',
      example: { items: [EXAMPLES.enrollment], nextCursor: null },
    },
    errors: [400],
  })
  list(
    @CurrentCaller() caller: Caller,
    @Query(new ZodValidationPipe(enrollmentListQuery)) query: EnrollmentListQuery,
  ) {
    return this.reads.list(caller.accountId, query);
  }

  @Get(':id')
  @ApiAnswers({
    operationId: 'getEnrollment',
    summary: 'One enrollment with its history and decision',
    path: '/v1/enrollments/{id}',
    ok: {
      status: 200,
      description: 'The enrollment, its history and the decision that made it',
      example: { ...EXAMPLES.enrollment, history: [], decision: null },
    },
    errors: [400, 404],
  })
  detail(@CurrentCaller() caller: Caller, @Param('id', ParseUUIDPipe) id: string) {
    return this.reads.detail(caller.accountId, id);
  }

  @Post(':id/pause')
  @HttpCode(202)
  @ApiAnswers({
    operationId: 'pauseEnrollment',
    summary: 'Pause an enrollment',
    path: '/v1/enrollments/{id}/pause',
    ok: {
      status: 202,
      description: 'Accepted; Location is where its outcome will be',
      example: EXAMPLES.accepted,
    },
    errors: [400, 404, 415, 503],
  })
  async pause(
    @CurrentCaller() caller: Caller,
    @Param('id', ParseUUIDPipe) id: string,
    @Body(new ZodValidationPipe(transitionBody)) body: TransitionBody,
    @Res({ passthrough: true }) response: Response,
  ): Promise<Accepted> {
    const accepted = await this.requests.transition(caller, id, 'pause', body);
    acceptedAt(response, `/v1/decisions/${accepted.requestId}`);
    return accepted;
  }

  @Post(':id/resume')
  @HttpCode(202)
  @ApiAnswers({
    operationId: 'resumeEnrollment',
    summary: 'Resume an enrollment',
    path: '/v1/enrollments/{id}/resume',
    ok: {
      status: 202,
      description: 'Accepted; Location is where its outcome will be',
      example: EXAMPLES.accepted,
    },
    errors: [400, 404, 415, 503],
  })
  async resume(
    @CurrentCaller() caller: Caller,
    @Param('id', ParseUUIDPipe) id: string,
    @Body(new ZodValidationPipe(transitionBody)) body: TransitionBody,
    @Res({ passthrough: true }) response: Response,
  ): Promise<Accepted> {
    const accepted = await this.requests.transition(caller, id, 'resume', body);
    acceptedAt(response, `/v1/decisions/${accepted.requestId}`);
    return accepted;
  }

  @Post(':id/cancel')
  @HttpCode(202)
  @ApiAnswers({
    operationId: 'cancelEnrollment',
    summary: 'Cancel an enrollment',
    path: '/v1/enrollments/{id}/cancel',
    ok: {
      status: 202,
      description: 'Accepted; Location is where its outcome will be',
      example: EXAMPLES.accepted,
    },
    errors: [400, 404, 415, 503],
  })
  async cancel(
    @CurrentCaller() caller: Caller,
    @Param('id', ParseUUIDPipe) id: string,
    @Body(new ZodValidationPipe(transitionBody)) body: TransitionBody,
    @Res({ passthrough: true }) response: Response,
  ): Promise<Accepted> {
    const accepted = await this.requests.transition(caller, id, 'cancel', body);
    acceptedAt(response, `/v1/decisions/${accepted.requestId}`);
    return accepted;
  }
}
