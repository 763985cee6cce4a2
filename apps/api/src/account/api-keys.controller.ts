import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, UseGuards } from '@nestjs/common';
import { ApiSecurity, ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '../http/admin-only.decorator';
import { ApiAnswers } from '../http/api-answers';
import { ApiKeyGuard, type Caller } from '../http/api-key.guard';
import { CurrentCaller } from '../http/caller.decorator';
import { EXAMPLES } from '../http/examples';
import { ApiZodBody } from '../http/openapi';
import { ZodValidationPipe } from '../http/zod-validation.pipe';
import { newApiKeyBody, type NewApiKeyBody } from './account.schemas';
import { ApiKeysService } from './api-keys.service';

@ApiTags('account')
@ApiSecurity('api-key')
@UseGuards(ApiKeyGuard)
@AdminOnly()
@Controller('v1/account/api-keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Get()
  @ApiAnswers({
    operationId: 'listApiKeys',
    summary: "The account's API keys (never their secrets)",
    path: '/v1/account/api-keys',
    ok: { status: 200, description: 'Every key, revoked ones too', example: { items: [EXAMPLES.apiKey] } },
    errors: [403],
  })
  list(@CurrentCaller() caller: Caller) {
    return this.keys.list(caller);
  }

  @Post()
  @ApiZodBody(newApiKeyBody)
  @ApiAnswers({
    operationId: 'createApiKey',
    summary: 'Issue a key (its secret is shown this once)',
    path: '/v1/account/api-keys',
    ok: { status: 201, description: 'The key with its secret', example: EXAMPLES.newApiKey },
    errors: [400, 403, 415],
  })
  create(@CurrentCaller() caller: Caller, @Body(new ZodValidationPipe(newApiKeyBody)) body: NewApiKeyBody) {
    return this.keys.issue(caller, body.name, body.scope);
  }

  @Post(':id/revoke')
  @HttpCode(200)
  @ApiAnswers({
    operationId: 'revokeApiKey',
    summary: 'Revoke a key now (idempotent)',
    path: '/v1/account/api-keys/{id}/revoke',
    ok: {
      status: 200,
      description: 'The revoked key',
      example: { ...EXAMPLES.apiKey, revokedAt: '2026-12-05T09:00:00.000Z' },
    },
    errors: [400, 403, 404],
  })
  revoke(@CurrentCaller() caller: Caller, @Param('id', ParseUUIDPipe) id: string) {
    return this.keys.revoke(caller, id);
  }

  @Post(':id/rotate')
  @HttpCode(201)
  @ApiAnswers({
    operationId: 'rotateApiKey',
    summary: 'Replace a key by a new one with its name and scope; the old one is revoked at once',
    path: '/v1/account/api-keys/{id}/rotate',
    ok: { status: 201, description: 'The new key with its secret', example: EXAMPLES.rotatedApiKey },
    errors: [400, 403, 404, 409],
    problems: {
      409: {
        detail: `api key ${EXAMPLES.ids.apiKey} is revoked: there is nothing to rotate`,
        code: 'api_key_revoked',
        description: 'The key is revoked already',
      },
    },
  })
  rotate(@CurrentCaller() caller: Caller, @Param('id', ParseUUIDPipe) id: string) {
    return this.keys.rotate(caller, id);
  }
}
