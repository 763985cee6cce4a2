import { Controller, Get, Param, UseGuards } from '@nestjs/common';
import { ApiSecurity, ApiTags } from '@nestjs/swagger';
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
  event(@CurrentCaller() caller: Caller, @Param('eventId', new IdParamPipe('eventId')) eventId: string) {
    return this.why.event(caller.accountId, eventId);
  }

  @Get('conversations/:conversationId/inactivity')
  inactivity(
    @CurrentCaller() caller: Caller,
    @Param('conversationId', new IdParamPipe('conversationId')) conversationId: string,
  ) {
    return this.why.inactivity(caller.accountId, conversationId);
  }
}
