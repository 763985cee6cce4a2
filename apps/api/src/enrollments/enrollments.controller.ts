import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  UseGuards,
} from '@nestjs/common';
import { ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ApiKeyGuard, type Caller } from '../http/api-key.guard';
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
import { RequestEnrollmentsUseCase, type Accepted, type BulkAccepted } from './request-enrollments.usecase';

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
  enrollViaApi(
    @CurrentCaller() caller: Caller,
    @Body(new ZodValidationPipe(apiEnrollmentBody)) body: ApiEnrollmentBody,
  ): Promise<Accepted> {
    return this.requests.viaApi(caller, body);
  }

  @Post('manual')
  @HttpCode(202)
  @ApiZodBody(manualEnrollmentBody)
  enrollManually(
    @CurrentCaller() caller: Caller,
    @Body(new ZodValidationPipe(manualEnrollmentBody)) body: ManualEnrollmentBody,
  ): Promise<Accepted> {
    return this.requests.manual(caller, body);
  }

  @Post('bulk')
  @HttpCode(202)
  @ApiZodBody(bulkEnrollmentBody)
  enrollInBulk(
    @CurrentCaller() caller: Caller,
    @Body(new ZodValidationPipe(bulkEnrollmentBody)) body: BulkEnrollmentBody,
  ): Promise<BulkAccepted> {
    return this.requests.bulk(caller, body);
  }

  @Get('bulk/:bulkId')
  @ApiZodQuery(bulkResultsQuery)
  bulk(
    @CurrentCaller() caller: Caller,
    @Param('bulkId', ParseUUIDPipe) bulkId: string,
    @Query(new ZodValidationPipe(bulkResultsQuery)) query: BulkResultsQuery,
  ) {
    return this.reads.bulk(caller.accountId, bulkId, query.results === 'true');
  }

  @Get()
  @ApiZodQuery(enrollmentListQuery)
  list(
    @CurrentCaller() caller: Caller,
    @Query(new ZodValidationPipe(enrollmentListQuery)) query: EnrollmentListQuery,
  ) {
    return this.reads.list(caller.accountId, query);
  }

  @Get(':id')
  detail(@CurrentCaller() caller: Caller, @Param('id', ParseUUIDPipe) id: string) {
    return this.reads.detail(caller.accountId, id);
  }

  @Post(':id/pause')
  @HttpCode(202)
  pause(
    @CurrentCaller() caller: Caller,
    @Param('id', ParseUUIDPipe) id: string,
    @Body(new ZodValidationPipe(transitionBody)) body: TransitionBody,
  ): Promise<Accepted> {
    return this.requests.transition(caller, id, 'pause', body);
  }

  @Post(':id/resume')
  @HttpCode(202)
  resume(
    @CurrentCaller() caller: Caller,
    @Param('id', ParseUUIDPipe) id: string,
    @Body(new ZodValidationPipe(transitionBody)) body: TransitionBody,
  ): Promise<Accepted> {
    return this.requests.transition(caller, id, 'resume', body);
  }

  @Post(':id/cancel')
  @HttpCode(202)
  cancel(
    @CurrentCaller() caller: Caller,
    @Param('id', ParseUUIDPipe) id: string,
    @Body(new ZodValidationPipe(transitionBody)) body: TransitionBody,
  ): Promise<Accepted> {
    return this.requests.transition(caller, id, 'cancel', body);
  }
}
