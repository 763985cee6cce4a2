import type { OutboundMessageCommand } from '@cadence/contracts';
import type { DueStep } from './enrollment-records';

/** Stable per (enrollment, step): a retry re-emits the same id, so gateways can dedup. */
export const outboundCommandId = (enrollmentId: string, stepIndex: number): string =>
  `${enrollmentId}:${stepIndex}`;

/** The channel command for one due step of the enrollment's pinned version. */
export function buildOutboundCommand(step: DueStep, emittedAt: Date): OutboundMessageCommand {
  const definition = step.definition.steps[step.stepIndex];
  if (!definition) throw new Error(`enrollment ${step.enrollmentId} has no step ${step.stepIndex}`);
  return {
    commandId: outboundCommandId(step.enrollmentId, step.stepIndex),
    accountId: step.accountId,
    contactId: step.contactId,
    channel: definition.channel,
    enrollmentId: step.enrollmentId,
    sequenceId: step.sequenceId,
    sequenceVersion: step.sequenceVersion,
    stepIndex: step.stepIndex,
    targetType: step.targetType,
    targetId: step.targetId,
    content: definition.content ?? null,
    templateName: definition.template?.name ?? null,
    variables: definition.template?.variables ?? {},
    dueAt: new Date(step.dueAt).getTime(),
    emittedAt: emittedAt.getTime(),
  };
}
