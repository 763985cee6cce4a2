import { Controller, Get, Param, Query, UseGuards } from '@nestjs/common';
import { ApiSecurity, ApiTags } from '@nestjs/swagger';
import { EnrollmentReadsService, type ExplainedDecision } from '../enrollments/enrollment-reads.service';
import { decisionLookupQuery, type DecisionLookupQuery } from '../enrollments/enrollment-list.schemas';
import { ApiKeyGuard, type Caller } from '../http/api-key.guard';
import { CurrentCaller } from '../http/caller.decorator';
import { ApiZodQuery } from '../http/openapi';
import { ZodValidationPipe } from '../http/zod-validation.pipe';

/** "Why was (or wasn't) this contact enrolled?" — by request id, or by contact and sequence. */
@ApiTags('decisions')
@ApiSecurity('api-key')
@UseGuards(ApiKeyGuard)
@Controller('v1/decisions')
export class DecisionsController {
  constructor(private readonly reads: EnrollmentReadsService) {}

  @Get()
  @ApiZodQuery(decisionLookupQuery)
  forContact(
    @CurrentCaller() caller: Caller,
    @Query(new ZodValidationPipe(decisionLookupQuery)) query: DecisionLookupQuery,
  ): Promise<ExplainedDecision[]> {
    return this.reads.decisionsFor(caller.accountId, query.contactId, query.sequenceId, query.limit);
  }

  @Get(':requestId')
  byRequest(
    @CurrentCaller() caller: Caller,
    @Param('requestId') requestId: string,
  ): Promise<ExplainedDecision> {
    return this.reads.decision(caller.accountId, requestId);
  }
}
