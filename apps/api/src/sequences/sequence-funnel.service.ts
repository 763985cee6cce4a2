import { Injectable, NotFoundException } from '@nestjs/common';
import { firingDefinitionSchema, funnelReport, type FunnelReport } from '@cadence/domain';
import { FunnelCountsRepository, SequencesRepository } from '@cadence/persistence';

/**
 * A sequence version's funnel, from the counter projection the engine keeps as it moves enrollments: a read of
 * O(steps) rows however many enrollments there are. Another account's sequence is "not found".
 */
@Injectable()
export class SequenceFunnelService {
  constructor(
    private readonly sequences: SequencesRepository,
    private readonly counts: FunnelCountsRepository,
  ) {}

  async funnel(accountId: string, id: string, requested: number | undefined): Promise<FunnelReport> {
    const sequence = await this.sequences.find(accountId, id);
    if (!sequence) throw new NotFoundException(`sequence ${id} not found`);
    const version = requested ?? sequence.publishedVersion;
    if (version === null) throw new NotFoundException(`sequence ${id} has no published version`);
    const definition = firingDefinitionSchema.safeParse(
      await this.sequences.findVersion(accountId, id, version),
    );
    if (!definition.success) throw new NotFoundException(`sequence ${id} has no version ${version}`);
    return funnelReport(id, version, definition.data.steps, await this.counts.read(accountId, id, version));
  }
}
