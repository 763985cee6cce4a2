import { Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { ApiKeysRepository } from '@cadence/persistence';

export interface Caller {
  accountId: string;
  apiKeyId: string;
}

export type AuthenticatedRequest = Request & { caller?: Caller };

/** Every /v1 endpoint needs an account-scoped key: `Authorization: Bearer <key>` or `X-Api-Key: <key>`. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(private readonly apiKeys: ApiKeysRepository) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization;
    const key = header?.startsWith('Bearer ') ? header.slice(7).trim() : request.headers['x-api-key'];
    if (typeof key !== 'string' || key.length === 0)
      throw new UnauthorizedException('an API key is required');
    const caller = await this.apiKeys.authenticate(key);
    if (!caller) throw new UnauthorizedException('unknown or revoked API key');
    request.caller = caller;
    return true;
  }
}
