import { Controller, Get, Param, Query, Res, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { EnrollmentReadsService, type ExplainedDecision } from '../enrollments/enrollment-reads.service';
import { decisionLookupQuery, type DecisionLookupQuery } from '../enrollments/enrollment-list.schemas';
import { ApiAnswers } from '../http/api-answers';
import { EXAMPLES } from '../http/examples';
import { ApiKeyGuard, type Caller } from '../http/api-key.guard';
import { CurrentCaller } from '../http/caller.decorator';
import { IdParamPipe } from '../http/id-param.pipe';
import { ApiZodQuery } from '../http/openapi';
import { ZodValidationPipe } from '../http/zod-validation.pipe';
import { RequestAnswersService } from './request-answers.service';

/** "Why was (or wasn't) this contact enrolled?" — by request id, or by contact and sequence. */
@ApiTags('decisions')
@ApiSecurity('api-key')
@UseGuards(ApiKeyGuard)
@Controller('v1/decisions')
export class DecisionsController {
  constructor(
    private readonly reads: EnrollmentReadsService,
    private readonly answers: RequestAnswersService,
  ) {}

  @Get()
  @ApiZodQuery(decisionLookupQuery)
  @ApiAnswers({
    operationId: 'listDecisions',
    summary: "A contact's decisions for one sequence",
    path: '/v1/decisions',
    ok: { status: 200, description: 'Newest first, each explained', example: [EXAMPLES.decision] },
    errors: [400],
  })
  forContact(
    @CurrentCaller() caller: Caller,
    @Query(new ZodValidationPipe(decisionLookupQuery)) query: DecisionLookupQuery,
  ): Promise<ExplainedDecision[]> {
    return this.reads.decisionsFor(caller.accountId, query.contactId, query.sequenceId, query.limit);
  }

  /** 200 with the decision (or the change applied); 202 `pending` with Location and Retry-After; else 404. */
  @Get(':requestId')
  @ApiAnswers({
    operationId: 'getDecision',
    summary: 'The answer to one request',
    path: '/v1/decisions/{requestId}',
    ok: {
      status: 200,
      description:
        'The decision (or, for a pause/resume/cancel, the change made or why none); 202 pending until then',
      example: EXAMPLES.decision,
    },
    errors: [400, 404],
  })
  @ApiResponse({
    status: 202,
    description: 'Accepted, not decided yet: poll Location after Retry-After',
    content: {
      'application/json': {
        example: {
          requestId: EXAMPLES.ids.request,
          status: 'pending',
          kind: 'enroll',
          poll: `/v1/decisions/${EXAMPLES.ids.request}`,
        },
      },
    },
  })
  async byRequest(
    @CurrentCaller() caller: Caller,
    @Param('requestId', new IdParamPipe('requestId')) requestId: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<object> {
    const answer = await this.answers.answer(caller.accountId, requestId);
    if (answer.status === 'pending')
      response.status(202).setHeader('Location', answer.body.poll).setHeader('Retry-After', '1');
    return answer.body;
  }
}
