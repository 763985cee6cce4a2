import {
  ForbiddenException,
  Injectable,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import type { ApiKeyScope } from '@cadence/domain';
import { ApiKeysRepository } from '@cadence/persistence';
import { ADMIN_ONLY } from './admin-only.decorator';

export interface Caller {
  accountId: string;
  apiKeyId: string;
  scope: ApiKeyScope;
  /** How the calling key is shown: its secret's first characters (null for keys older than prefixes). */
  prefix: string | null;
  name: string;
}

export type AuthenticatedRequest = Request & { caller?: Caller };

/**
 * Every /v1 endpoint needs an account-scoped key: `Authorization: Bearer <key>` or `X-Api-Key: <key>`. A route
 * marked `@AdminOnly()` (or in a controller so marked) also needs the key's scope to be `admin`: an `enroll`
 * key gets 403 `insufficient_scope` there.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly apiKeys: ApiKeysRepository,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization;
    const key = header?.startsWith('Bearer ') ? header.slice(7).trim() : request.headers['x-api-key'];
    if (typeof key !== 'string' || key.length === 0)
      throw new UnauthorizedException('an API key is required');
    const caller = await this.apiKeys.authenticate(key);
    if (!caller) throw new UnauthorizedException('unknown or revoked API key');
    request.caller = caller;
    const adminOnly = this.reflector.getAllAndOverride<boolean | undefined>(ADMIN_ONLY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (adminOnly && caller.scope !== 'admin') {
      throw new ForbiddenException({
        error: 'insufficient_scope',
        message: `this key's scope is ${caller.scope}; the route needs an admin key`,
      });
    }
    return true;
  }
}
