import { Body, Controller, Get, Patch, Query, UseGuards } from '@nestjs/common';
import { ApiSecurity, ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '../http/admin-only.decorator';
import { ApiAnswers } from '../http/api-answers';
import { ApiKeyGuard, type Caller } from '../http/api-key.guard';
import { CurrentCaller } from '../http/caller.decorator';
import { EXAMPLES } from '../http/examples';
import { ApiZodBody, ApiZodQuery } from '../http/openapi';
import { ZodValidationPipe } from '../http/zod-validation.pipe';
import { accountChangesBody, auditQuery, type AccountChangesBody, type AuditQuery } from './account.schemas';
import { AccountService } from './account.service';

@ApiTags('account')
@ApiSecurity('api-key')
@UseGuards(ApiKeyGuard)
@Controller('v1/account')
export class AccountController {
  constructor(private readonly account: AccountService) {}

  @Get()
  @ApiAnswers({
    operationId: 'getAccount',
    summary: "The caller's account and the key it called with",
    path: '/v1/account',
    ok: { status: 200, description: 'The account, with the calling key', example: EXAMPLES.account },
    errors: [],
  })
  get(@CurrentCaller() caller: Caller) {
    return this.account.get(caller);
  }

  @Patch()
  @AdminOnly()
  @ApiZodBody(accountChangesBody)
  @ApiAnswers({
    operationId: 'updateAccount',
    summary: "Change the account's flags, time zone or default send window (audited)",
    path: '/v1/account',
    ok: { status: 200, description: 'The account as changed', example: EXAMPLES.account },
    errors: [400, 403, 415],
  })
  update(
    @CurrentCaller() caller: Caller,
    @Body(new ZodValidationPipe(accountChangesBody)) body: AccountChangesBody,
  ) {
    return this.account.update(caller, body);
  }

  @Get('audit')
  @AdminOnly()
  @ApiZodQuery(auditQuery)
  @ApiAnswers({
    operationId: 'listAccountAudit',
    summary: 'What was changed in the account, by which key, newest first',
    path: '/v1/account/audit',
    ok: { status: 200, description: 'A page and the cursor of the next', example: EXAMPLES.auditPage },
    errors: [400, 403],
  })
  audit(@CurrentCaller() caller: Caller, @Query(new ZodValidationPipe(auditQuery)) query: AuditQuery) {
    return this.account.auditPage(caller, query);
  }
}
