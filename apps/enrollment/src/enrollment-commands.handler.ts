import { Injectable } from '@nestjs/common';
import {
  validateEnrollmentCommand,
  type EnrollCommand,
  type EnrollmentCommand,
  type EnrollmentLifecycleEvent,
  type TransitionCommand,
} from '@cadence/contracts';
import { LifecyclePublisher } from '@cadence/domain';
import {
  ok,
  type InboundMessage,
  type MessageResult,
  type Refusal,
  type StreamHandler,
} from '@cadence/kafka';
import { OutboxRelay } from '@cadence/outbox';
import { ApplyTransitionsUseCase } from './apply-transitions.usecase';
import { commandSpans, recordOutcomes } from './command-spans';
import { DecideEnrollmentsUseCase } from './decide-enrollments.usecase';
import { RecordRefusedRequestsUseCase } from './record-refused-requests.usecase';

/** Enroll, exit, pause, resume and cancel commands from every entry point, one partition batch at a time. */
@Injectable()
export class EnrollmentCommandsHandler implements StreamHandler<EnrollmentCommand> {
  readonly name = 'enrollment-commands';
  readonly validate = validateEnrollmentCommand;

  constructor(
    private readonly lifecycle: LifecyclePublisher,
    private readonly decide: DecideEnrollmentsUseCase,
    private readonly transitions: ApplyTransitionsUseCase,
    private readonly relay: OutboxRelay,
    private readonly refused: RecordRefusedRequestsUseCase,
  ) {}

  /** A malformed or refused command still ends in a decision of its own (and in the dead-letter topic). */
  recordRefusals(refusals: readonly Refusal[]): Promise<void> {
    return this.refused.execute(refusals);
  }

  /**
   * Decides the batch in order: consecutive enroll commands are decided together, and so are consecutive
   * transitions (pause/resume/cancel/exit), so "enroll, cancel, enroll" for one contact ends enrolled.
   */
  async handle(items: ReadonlyArray<InboundMessage<EnrollmentCommand>>): Promise<MessageResult[]> {
    const spans = commandSpans(items);
    await spans.runToEnd(async () => {
      let changed = 0;
      const decided: EnrollmentLifecycleEvent[] = [];
      for (const run of consecutiveRuns(items.map((item) => item.value))) {
        if (run.kind === 'enroll')
          decided.push(...(await this.decide.execute(run.commands, spans.traceParentOf)));
        else changed += await this.transitions.execute(run.commands, spans.traceParentOf);
      }
      // Published before the offsets are committed: a crash in between republishes the same event ids.
      await this.lifecycle.publish(decided, (event) => spans.traceParentOf(event.requestId));
      recordOutcomes(spans, decided);
      if (changed > 0) this.relay.nudge();
    });
    return items.map(() => ok);
  }
}

type Run =
  { kind: 'enroll'; commands: EnrollCommand[] } | { kind: 'transition'; commands: TransitionCommand[] };

function consecutiveRuns(commands: readonly EnrollmentCommand[]): Run[] {
  const runs: Run[] = [];
  for (const command of commands) {
    const last = runs[runs.length - 1];
    if (command.kind === 'enroll') {
      if (last?.kind === 'enroll') last.commands.push(command);
      else runs.push({ kind: 'enroll', commands: [command] });
    } else if (last?.kind === 'transition') last.commands.push(command);
    else runs.push({ kind: 'transition', commands: [command] });
  }
  return runs;
}
