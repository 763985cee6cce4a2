import { Injectable, NotFoundException } from '@nestjs/common';
import type { AuditActor, SequenceRecord } from '@cadence/domain';
import { SequencesRepository } from '@cadence/persistence';
import type { SequenceDraftBody } from './sequence.schemas';

export interface SequenceView {
  id: string;
  name: string;
  active: boolean;
  publishedVersion: number | null;
  draft: SequenceRecord['draft'];
  published: SequenceRecord['definition'];
}

const toView = (record: SequenceRecord): SequenceView => ({
  id: record.id,
  name: record.name,
  active: record.active,
  publishedVersion: record.publishedVersion,
  draft: record.draft,
  published: record.definition,
});

/** Drafts, immutable published versions, activation. Another account's sequence is "not found". */
@Injectable()
export class SequencesService {
  constructor(private readonly sequences: SequencesRepository) {}

  async create(accountId: string, body: SequenceDraftBody, actor: AuditActor): Promise<SequenceView> {
    return toView(await this.sequences.createDraft(accountId, body.name, body.definition, actor));
  }

  async list(accountId: string): Promise<SequenceView[]> {
    return (await this.sequences.listForAccount(accountId)).map(toView);
  }

  async get(accountId: string, id: string): Promise<SequenceView> {
    const record = await this.sequences.find(accountId, id);
    if (!record) throw new NotFoundException(`sequence ${id} not found`);
    return toView(record);
  }

  async updateDraft(
    accountId: string,
    id: string,
    body: SequenceDraftBody,
    actor: AuditActor,
  ): Promise<SequenceView> {
    if (!(await this.sequences.updateDraft(accountId, id, body.name, body.definition, actor))) {
      throw new NotFoundException(`sequence ${id} not found`);
    }
    return this.get(accountId, id);
  }

  async publish(accountId: string, id: string, actor: AuditActor): Promise<SequenceView> {
    if ((await this.sequences.publish(accountId, id, actor)) === null)
      throw new NotFoundException(`sequence ${id} not found`);
    return this.get(accountId, id);
  }

  async setActive(accountId: string, id: string, active: boolean, actor: AuditActor): Promise<SequenceView> {
    if (!(await this.sequences.setActive(accountId, id, active, actor)))
      throw new NotFoundException(`sequence ${id} not found`);
    return this.get(accountId, id);
  }

  async version(
    accountId: string,
    id: string,
    version: number,
  ): Promise<{ version: number; definition: unknown }> {
    const definition = await this.sequences.findVersion(accountId, id, version);
    if (!definition) throw new NotFoundException(`sequence ${id} has no version ${version}`);
    return { version, definition };
  }
}
