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
  UseGuards,
} from '@nestjs/common';
import { ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ApiKeyGuard, type Caller } from '../http/api-key.guard';
import { CurrentCaller } from '../http/caller.decorator';
import { ApiZodBody } from '../http/openapi';
import { ZodValidationPipe } from '../http/zod-validation.pipe';
import { sequenceDraftBody, type SequenceDraftBody } from './sequence.schemas';
import { SequencesService, type SequenceView } from './sequences.service';

const draftPipe = new ZodValidationPipe(sequenceDraftBody);

@ApiTags('sequences')
@ApiSecurity('api-key')
@UseGuards(ApiKeyGuard)
@Controller('v1/sequences')
export class SequencesController {
  constructor(private readonly sequences: SequencesService) {}

  @Post()
  @ApiZodBody(sequenceDraftBody)
  create(@CurrentCaller() caller: Caller, @Body(draftPipe) body: SequenceDraftBody): Promise<SequenceView> {
    return this.sequences.create(caller.accountId, body);
  }

  @Get()
  list(@CurrentCaller() caller: Caller): Promise<SequenceView[]> {
    return this.sequences.list(caller.accountId);
  }

  @Get(':id')
  get(@CurrentCaller() caller: Caller, @Param('id', ParseUUIDPipe) id: string): Promise<SequenceView> {
    return this.sequences.get(caller.accountId, id);
  }

  @Put(':id')
  @ApiZodBody(sequenceDraftBody)
  update(
    @CurrentCaller() caller: Caller,
    @Param('id', ParseUUIDPipe) id: string,
    @Body(draftPipe) body: SequenceDraftBody,
  ): Promise<SequenceView> {
    return this.sequences.updateDraft(caller.accountId, id, body);
  }

  @Post(':id/publish')
  @HttpCode(200)
  publish(@CurrentCaller() caller: Caller, @Param('id', ParseUUIDPipe) id: string): Promise<SequenceView> {
    return this.sequences.publish(caller.accountId, id);
  }

  @Post(':id/activate')
  @HttpCode(200)
  activate(@CurrentCaller() caller: Caller, @Param('id', ParseUUIDPipe) id: string): Promise<SequenceView> {
    return this.sequences.setActive(caller.accountId, id, true);
  }

  @Post(':id/deactivate')
  @HttpCode(200)
  deactivate(@CurrentCaller() caller: Caller, @Param('id', ParseUUIDPipe) id: string): Promise<SequenceView> {
    return this.sequences.setActive(caller.accountId, id, false);
  }

  @Get(':id/versions/:version')
  version(
    @CurrentCaller() caller: Caller,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('version', ParseIntPipe) version: number,
  ): Promise<{ version: number; definition: unknown }> {
    return this.sequences.version(caller.accountId, id, version);
  }
}
