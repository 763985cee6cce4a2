import { Controller, Get, Param, UseGuards } from '@nestjs/common';
import { ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ApiAnswers } from '../http/api-answers';
import { EXAMPLES } from '../http/examples';
import { ApiKeyGuard, type Caller } from '../http/api-key.guard';
import { CurrentCaller } from '../http/caller.decorator';
import { IdParamPipe } from '../http/id-param.pipe';
import { WhyService } from './why.service';

/** Why an event did (not) enroll, and why inactivity did (not) fire for a conversation. */
@ApiTags('why')
@ApiSecurity('api-key')
@UseGuards(ApiKeyGuard)
@Controller('v1')
export class WhyController {
  constructor(private readonly why: WhyService) {}

  @Get('events/:eventId')
  @ApiAnswers({
    operationId: 'explainEvent',
    summary: 'What each sequence made of a domain event',
    path: '/v1/events/{eventId}',
    ok: { status: 200, description: 'The trace and a conclusion per sequence', example: EXAMPLES.eventWhy },
    errors: [400, 404],
  })
  event(@CurrentCaller() caller: Caller, @Param('eventId', new IdParamPipe('eventId')) eventId: string) {
    return this.why.event(caller.accountId, eventId);
  }

  @Get('conversations/:conversationId/inactivity')
  @ApiAnswers({
    operationId: 'explainInactivity',
    summary: "Each inactivity rule's view of a conversation",
    path: '/v1/conversations/{conversationId}/inactivity',
    ok: {
      status: 200,
      description: 'The tracked conversation and a conclusion per rule',
      example: EXAMPLES.inactivityWhy,
    },
    errors: [400],
  })
  inactivity(
    @CurrentCaller() caller: Caller,
    @Param('conversationId', new IdParamPipe('conversationId')) conversationId: string,
  ) {
    return this.why.inactivity(caller.accountId, conversationId);
  }
}
