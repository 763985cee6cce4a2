import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import type { ApiKeyRecord, ApiKeyScope } from '@cadence/domain';
import { ApiKeysRepository } from '@cadence/persistence';
import type { Caller } from '../http/api-key.guard';

export type ApiKeyView = Omit<ApiKeyRecord, 'accountId'>;

const toKeyView = (key: ApiKeyRecord): ApiKeyView => ({
  id: key.id,
  name: key.name,
  prefix: key.prefix,
  scope: key.scope,
  createdAt: key.createdAt,
  lastUsedAt: key.lastUsedAt,
  revokedAt: key.revokedAt,
});

/**
 * The account's API keys: issued, listed, revoked, rotated, each change audited with the key of the call.
 * Another account's key id is "not found".
 */
@Injectable()
export class ApiKeysService {
  constructor(private readonly keys: ApiKeysRepository) {}

  async list(caller: Caller): Promise<{ items: ApiKeyView[] }> {
    return { items: (await this.keys.list(caller.accountId)).map(toKeyView) };
  }

  async issue(caller: Caller, name: string, scope: ApiKeyScope): Promise<ApiKeyView & { secret: string }> {
    const issued = await this.keys.issue(caller.accountId, name, {
      scope,
      actor: { apiKeyId: caller.apiKeyId },
    });
    return { ...toKeyView(issued.record), secret: issued.key };
  }

  async revoke(caller: Caller, id: string): Promise<ApiKeyView> {
    const revoked = await this.keys.revoke(caller.accountId, id, { apiKeyId: caller.apiKeyId });
    if (!revoked) throw new NotFoundException(`api key ${id} not found`);
    return toKeyView(revoked);
  }

  async rotate(caller: Caller, id: string): Promise<ApiKeyView & { secret: string; replaces: string }> {
    const rotated = await this.keys.rotate(caller.accountId, id, { apiKeyId: caller.apiKeyId });
    if (!rotated) throw new NotFoundException(`api key ${id} not found`);
    if (rotated === 'revoked') {
      throw new ConflictException({
        error: 'api_key_revoked',
        message: `api key ${id} is revoked: there is nothing to rotate`,
      });
    }
    return { ...toKeyView(rotated.issued.record), secret: rotated.issued.key, replaces: rotated.replaces };
  }
}
