import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseIntPipe,
  ParseUUIDPipe,
  Post,
  Put,
  Query,
  UseGuards,
} from '@nestjs/common';
import { ApiSecurity, ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '../http/admin-only.decorator';
import { ApiAnswers } from '../http/api-answers';
import { EXAMPLES } from '../http/examples';
import { ApiKeyGuard, type Caller } from '../http/api-key.guard';
import { CurrentCaller } from '../http/caller.decorator';
import { ApiZodBody, ApiZodQuery } from '../http/openapi';
import { ZodValidationPipe } from '../http/zod-validation.pipe';
import { funnelQuery, sequenceDraftBody, type FunnelQuery, type SequenceDraftBody } from './sequence.schemas';
import { SequenceFunnelService } from './sequence-funnel.service';
import { SequencesService, type SequenceView } from './sequences.service';

const draftPipe = new ZodValidationPipe(sequenceDraftBody);
const actorOf = (caller: Caller) => ({ apiKeyId: caller.apiKeyId });

@ApiTags('sequences')
@ApiSecurity('api-key')
@UseGuards(ApiKeyGuard)
@Controller('v1/sequences')
export class SequencesController {
  constructor(
    private readonly sequences: SequencesService,
    private readonly funnels: SequenceFunnelService,
  ) {}

  @Post()
  @AdminOnly()
  @ApiZodBody(sequenceDraftBody)
  @ApiAnswers({
    operationId: 'createSequence',
    summary: 'Create a sequence draft',
    path: '/v1/sequences',
    ok: { status: 201, description: 'The draft', example: EXAMPLES.sequence },
    errors: [400, 403, 415],
  })
  create(@CurrentCaller() caller: Caller, @Body(draftPipe) body: SequenceDraftBody): Promise<SequenceView> {
    return this.sequences.create(caller.accountId, body, actorOf(caller));
  }

  @Get()
  @ApiAnswers({
    operationId: 'listSequences',
    summary: "The account's sequences",
    path: '/v1/sequences',
    ok: { status: 200, description: 'Every sequence of the account', example: [EXAMPLES.sequence] },
    errors: [],
  })
  list(@CurrentCaller() caller: Caller): Promise<SequenceView[]> {
    return this.sequences.list(caller.accountId);
  }

  @Get(':id')
  @ApiAnswers({
    operationId: 'getSequence',
    summary: 'One sequence',
    path: '/v1/sequences/{id}',
    ok: { status: 200, description: 'The sequence', example: EXAMPLES.sequence },
    errors: [400, 404],
  })
  get(@CurrentCaller() caller: Caller, @Param('id', ParseUUIDPipe) id: string): Promise<SequenceView> {
    return this.sequences.get(caller.accountId, id);
  }

  @Put(':id')
  @AdminOnly()
  @ApiZodBody(sequenceDraftBody)
  @ApiAnswers({
    operationId: 'updateSequenceDraft',
    summary: 'Edit the draft',
    path: '/v1/sequences/{id}',
    ok: { status: 200, description: 'The edited draft', example: EXAMPLES.sequence },
    errors: [400, 403, 404, 415],
  })
  update(
    @CurrentCaller() caller: Caller,
    @Param('id', ParseUUIDPipe) id: string,
    @Body(draftPipe) body: SequenceDraftBody,
  ): Promise<SequenceView> {
    return this.sequences.updateDraft(caller.accountId, id, body, actorOf(caller));
  }

  @Post(':id/publish')
  @AdminOnly()
  @HttpCode(200)
  @ApiAnswers({
    operationId: 'publishSequence',
    summary: 'Freeze the draft as the next version',
    path: '/v1/sequences/{id}/publish',
    ok: {
      status: 200,
      description: 'The sequence with its new published version',
      example: EXAMPLES.sequence,
    },
    errors: [400, 403, 404],
  })
  publish(@CurrentCaller() caller: Caller, @Param('id', ParseUUIDPipe) id: string): Promise<SequenceView> {
    return this.sequences.publish(caller.accountId, id, actorOf(caller));
  }

  @Post(':id/activate')
  @AdminOnly()
  @HttpCode(200)
  @ApiAnswers({
    operationId: 'activateSequence',
    summary: 'Switch enrollment on',
    path: '/v1/sequences/{id}/activate',
    ok: { status: 200, description: 'The active sequence', example: EXAMPLES.sequence },
    errors: [400, 403, 404],
  })
  activate(@CurrentCaller() caller: Caller, @Param('id', ParseUUIDPipe) id: string): Promise<SequenceView> {
    return this.sequences.setActive(caller.accountId, id, true, actorOf(caller));
  }

  @Post(':id/deactivate')
  @AdminOnly()
  @HttpCode(200)
  @ApiAnswers({
    operationId: 'deactivateSequence',
    summary: 'Switch enrollment off',
    path: '/v1/sequences/{id}/deactivate',
    ok: {
      status: 200,
      description: 'The inactive sequence',
      example: { ...EXAMPLES.sequence, active: false },
    },
    errors: [400, 403, 404],
  })
  deactivate(@CurrentCaller() caller: Caller, @Param('id', ParseUUIDPipe) id: string): Promise<SequenceView> {
    return this.sequences.setActive(caller.accountId, id, false, actorOf(caller));
  }

  @Get(':id/versions/:version')
  @ApiAnswers({
    operationId: 'getSequenceVersion',
    summary: 'One published version',
    path: '/v1/sequences/{id}/versions/{version}',
    ok: {
      status: 200,
      description: 'The version and its definition',
      example: { version: 1, definition: EXAMPLES.sequence.draft },
    },
    errors: [400, 404],
  })
  version(
    @CurrentCaller() caller: Caller,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('version', ParseIntPipe) version: number,
  ): Promise<{ version: number; definition: unknown }> {
    return this.sequences.version(caller.accountId, id, version);
  }

  @Get(':id/funnel')
  @ApiZodQuery(funnelQuery)
  @ApiAnswers({
    operationId: 'getSequenceFunnel',
    summary: "A version's funnel: how many entered, were sent each step, paused, exited, completed",
    path: '/v1/sequences/{id}/funnel',
    ok: {
      status: 200,
      description: 'The funnel (lifetime counters; the latest published version unless `version` is given)',
      example: EXAMPLES.funnel,
    },
    errors: [400, 404],
  })
  funnel(
    @CurrentCaller() caller: Caller,
    @Param('id', ParseUUIDPipe) id: string,
    @Query(new ZodValidationPipe(funnelQuery)) query: FunnelQuery,
  ) {
    return this.funnels.funnel(caller.accountId, id, query.version);
  }
}
