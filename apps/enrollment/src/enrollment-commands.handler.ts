import { Inject, Injectable } from '@nestjs/common';
import {
  contactKey,
  type EnrollmentCommand,
  type EnrollmentLifecycleEvent,
  type Topics,
} from '@cadence/contracts';
import {
  ContractProducer,
  TOPICS,
  ok,
  type InboundMessage,
  type MessageResult,
  type StreamHandler,
} from '@cadence/kafka';
import { OutboxRelay } from '@cadence/runtime';
import { ApplyTransitionsUseCase } from './apply-transitions.usecase';
import { DecideEnrollmentsUseCase } from './decide-enrollments.usecase';
import { validateEnrollmentCommand } from './enroll-command.validation';

/** Enroll, exit, pause, resume and cancel commands from every entry point, one partition batch at a time. */
@Injectable()
export class EnrollmentCommandsHandler implements StreamHandler<EnrollmentCommand> {
  readonly name = 'enrollment-commands';
  readonly validate = validateEnrollmentCommand;

  constructor(
    private readonly producer: ContractProducer,
    @Inject(TOPICS) private readonly topics: Topics,
    private readonly decide: DecideEnrollmentsUseCase,
    private readonly transitions: ApplyTransitionsUseCase,
    private readonly relay: OutboxRelay,
  ) {}

  /**
   * Decides the batch in order: consecutive enroll commands are decided together, and so are consecutive
   * transitions (pause/resume/cancel/exit), so "enroll, cancel, enroll" for one contact ends enrolled.
   */
  async handle(items: ReadonlyArray<InboundMessage<EnrollmentCommand>>): Promise<MessageResult[]> {
    let changed = 0;
    const lifecycle: EnrollmentLifecycleEvent[] = [];
    for (const run of consecutiveRuns(items.map((item) => item.value))) {
      if (run.enroll) {
        lifecycle.push(...(await this.decide.execute(run.commands)));
      } else {
        changed += await this.transitions.execute(run.commands);
      }
    }
    // Published before the offsets are committed: a crash in between republishes the same event ids.
    await this.producer.send(
      lifecycle.map((event) => ({
        topic: this.topics.enrollmentLifecycle,
        key: contactKey(event.accountId, event.contactId),
        value: event,
      })),
    );
    if (changed > 0) this.relay.nudge();
    return items.map(() => ok);
  }
}

function consecutiveRuns(
  commands: EnrollmentCommand[],
): Array<{ enroll: boolean; commands: EnrollmentCommand[] }> {
  const runs: Array<{ enroll: boolean; commands: EnrollmentCommand[] }> = [];
  for (const command of commands) {
    const enroll = command.kind === 'enroll';
    const last = runs[runs.length - 1];
    if (last && last.enroll === enroll) last.commands.push(command);
    else runs.push({ enroll, commands: [command] });
  }
  return runs;
}
