import { Controller, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiSecurity, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { AdminOnly } from '../http/admin-only.decorator';
import { ApiAnswers } from '../http/api-answers';
import { ApiKeyGuard, type Caller } from '../http/api-key.guard';
import { CurrentCaller } from '../http/caller.decorator';
import { EXAMPLES } from '../http/examples';
import { IdParamPipe } from '../http/id-param.pipe';
import { ApiZodQuery } from '../http/openapi';
import { ZodValidationPipe } from '../http/zod-validation.pipe';
import { DeadLettersService } from './dead-letters.service';

const lettersQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(20) });
type LettersQuery = z.infer<typeof lettersQuery>;
const topicPipe = new IdParamPipe('topic');

@ApiTags('dead letters')
@ApiSecurity('api-key')
@UseGuards(ApiKeyGuard)
@AdminOnly()
@Controller('v1/dead-letters')
export class DeadLettersController {
  constructor(private readonly deadLetters: DeadLettersService) {}

  @Get()
  @ApiAnswers({
    operationId: 'listDeadLetterTopics',
    summary: "The dead-letter topics, with how many of the account's letters each holds",
    path: '/v1/dead-letters',
    ok: {
      status: 200,
      description:
        "Each DLQ topic with the account's letters (`pending`: not replayed yet); `complete: false` if the read timed out",
      example: EXAMPLES.deadLetterTopics,
    },
    errors: [403],
  })
  topics(@CurrentCaller() caller: Caller) {
    return this.deadLetters.topics(caller);
  }

  @Get(':topic')
  @ApiZodQuery(lettersQuery)
  @ApiAnswers({
    operationId: 'listDeadLetters',
    summary: "The account's latest letters on one dead-letter topic, newest first",
    path: '/v1/dead-letters/{topic}',
    ok: { status: 200, description: 'The latest letters', example: EXAMPLES.deadLetters },
    errors: [400, 403, 404],
  })
  letters(
    @CurrentCaller() caller: Caller,
    @Param('topic', topicPipe) topic: string,
    @Query(new ZodValidationPipe(lettersQuery)) query: LettersQuery,
  ) {
    return this.deadLetters.latest(caller, topic, query.limit);
  }

  @Post(':topic/replay')
  @HttpCode(202)
  @ApiAnswers({
    operationId: 'replayDeadLetters',
    summary: "Send the account's letters back to their original topics, each once (audited)",
    path: '/v1/dead-letters/{topic}/replay',
    ok: { status: 202, description: 'How many went back, by topic', example: EXAMPLES.replayReport },
    errors: [400, 403, 404],
  })
  replay(@CurrentCaller() caller: Caller, @Param('topic', topicPipe) topic: string) {
    return this.deadLetters.replay(caller, topic);
  }
}
