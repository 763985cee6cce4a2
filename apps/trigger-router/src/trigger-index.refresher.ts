import { Injectable } from '@nestjs/common';
import { ActiveSequences, type ActiveSequencesSnapshot } from '@cadence/read-models';
import { SequenceTriggerIndex } from './sequence-trigger-index';

/** Rebuilds the trigger index from each snapshot of the active sequences (at boot and after every change). */
@Injectable()
export class TriggerIndexRefresher {
  constructor(
    readonly index: SequenceTriggerIndex,
    active: ActiveSequences,
  ) {
    active.onReload((snapshot) => this.rebuild(snapshot));
  }

  private rebuild({ sequences, accounts }: ActiveSequencesSnapshot): void {
    this.index.replaceAll(
      sequences.map((s) => ({ ...s, maestroEnabled: accounts.get(s.accountId)?.maestroEnabled ?? false })),
    );
  }
}
