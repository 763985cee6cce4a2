import { Injectable, NotFoundException } from '@nestjs/common';
import type { Account, AuditEntry } from '@cadence/domain';
import { AccountAuditRepository, AccountsRepository } from '@cadence/persistence';
import type { Caller } from '../http/api-key.guard';
import { decodeCursor, encodeCursor } from '../enrollments/cursor';
import type { AccountChangesBody, AuditQuery } from './account.schemas';

export interface AccountView extends Account {
  /** The key of the request, so a console can show who it is signed in as and what it may do. */
  caller: { apiKeyId: string; prefix: string | null; name: string; scope: Caller['scope'] };
}

/** The account's settings and its audit trail. Only the caller's own account is ever read or changed. */
@Injectable()
export class AccountService {
  constructor(
    private readonly accounts: AccountsRepository,
    private readonly audit: AccountAuditRepository,
  ) {}

  async get(caller: Caller): Promise<AccountView> {
    const account = await this.accounts.find(caller.accountId);
    if (!account) throw new NotFoundException(`account ${caller.accountId} not found`);
    return this.view(account, caller);
  }

  async update(caller: Caller, changes: AccountChangesBody): Promise<AccountView> {
    const account = await this.accounts.update(caller.accountId, changes, { apiKeyId: caller.apiKeyId });
    if (!account) throw new NotFoundException(`account ${caller.accountId} not found`);
    return this.view(account, caller);
  }

  async auditPage(
    caller: Caller,
    query: AuditQuery,
  ): Promise<{ items: AuditEntry[]; nextCursor: string | null }> {
    const after = query.cursor ? decodeCursor(query.cursor) : null;
    const items = await this.audit.page(
      caller.accountId,
      query.limit,
      after ? { at: after.createdAt, id: after.id } : null,
    );
    const last = items.at(-1);
    return {
      items,
      nextCursor:
        last && items.length === query.limit ? encodeCursor({ createdAt: last.at, id: last.id }) : null,
    };
  }

  private view(account: Account, caller: Caller): AccountView {
    return {
      ...account,
      caller: { apiKeyId: caller.apiKeyId, prefix: caller.prefix, name: caller.name, scope: caller.scope },
    };
  }
}
