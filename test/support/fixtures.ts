import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import {
  enrollCommand as buildEnrollCommand,
  type DomainEvent,
  type EnrollCommand,
  type Provenance,
} from '../../libs/contracts/src';
import {
  sequenceDefinitionSchema,
  type Account,
  type NewAccount,
  type SequenceDefinition,
} from '../../libs/domain/src';
import { AccountsRepository, ApiKeysRepository, SequencesRepository } from '../../libs/persistence/src';

export async function createAccount(db: DataSource, input: Partial<NewAccount> = {}): Promise<Account> {
  return new AccountsRepository(db).create({ name: `account-${randomUUID().slice(0, 6)}`, ...input });
}

/** A sequence drafted, published as version 1 and activated. */
export async function createPublishedSequence(
  db: DataSource,
  accountId: string,
  definition: Partial<SequenceDefinition> & Pick<SequenceDefinition, 'steps'>,
): Promise<{ id: string; version: number }> {
  const sequences = new SequencesRepository(db);
  const draft = sequenceDefinitionSchema.parse({ targetType: 'contact', ...definition });
  const sequence = await sequences.createDraft(accountId, 'test sequence', draft);
  const version = (await sequences.publish(accountId, sequence.id))!;
  await sequences.setActive(accountId, sequence.id, true);
  return { id: sequence.id, version };
}

/** An API enroll command requested now, with a fresh id, unless `fields` say otherwise. */
export function enrollCommand(
  fields: Partial<Omit<EnrollCommand, 'provenance'>> &
    Pick<EnrollCommand, 'accountId' | 'contactId' | 'sequenceId'> & { provenance?: Partial<Provenance> },
): EnrollCommand {
  return buildEnrollCommand({ commandId: randomUUID(), requestedAt: Date.now(), method: 'api', ...fields });
}

export async function issueApiKey(db: DataSource, accountId: string): Promise<string> {
  return (await new ApiKeysRepository(db).issue(accountId, 'test')).key;
}

/** A domain event from the CRM, with a fresh id, about `contactId`, carrying only the entities given. */
export function domainEvent(
  fields: Pick<DomainEvent, 'accountId' | 'contactId' | 'type'> &
    Partial<Omit<DomainEvent, 'entities'>> & { entities?: Partial<DomainEvent['entities']> },
): DomainEvent {
  return {
    id: randomUUID(),
    source: 'crm',
    time: Date.now(),
    subject: null,
    data: {},
    ...fields,
    entities: { conversationId: null, dealId: null, appointmentId: null, chargeId: null, ...fields.entities },
  };
}
