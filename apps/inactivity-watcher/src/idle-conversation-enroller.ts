import { Injectable } from '@nestjs/common';
import type { EnrollCommand, EnrollmentCommand } from '@cadence/contracts';
import { DecisionLedger, type AccountFacts, type IdleConversation } from '@cadence/domain';
import { EnrollmentCommandsPublisher } from '@cadence/kafka';
import { AiGate, maestroProvenance } from '@cadence/maestro';
import { SpanSet } from '@cadence/observability';
import { inactivityEnrollCommand, type InactivityRule } from './inactivity-rules';

/**
 * Sends the enroll commands of conversations idle past a rule's limit. A conversation whose command was
 * decided already (a look-back after a restart or a takeover finds it again) costs neither a Maestro question
 * nor a command; one still in flight is sent again under the same id and decided once.
 */
@Injectable()
export class IdleConversationEnroller {
  constructor(
    private readonly ledger: DecisionLedger,
    private readonly gate: AiGate,
    private readonly commands: EnrollmentCommandsPublisher,
  ) {}

  /** Returns how many commands were sent. */
  async enroll(
    rule: InactivityRule,
    idle: readonly IdleConversation[],
    accounts: Map<string, AccountFacts>,
  ): Promise<number> {
    if (idle.length === 0) return 0;
    const all = idle.map((conversation) => ({
      conversation,
      command: inactivityEnrollCommand(rule, conversation),
    }));
    const decided = await this.ledger.findDecidedRequests(
      all.map(({ command }) => ({ accountId: command.accountId, value: command.commandId })),
    );
    const pending = all.filter(({ command }) => !decided.has(`${command.accountId}|${command.commandId}`));
    if (pending.length === 0) return 0;
    // Each idle conversation's command starts a trace of its own, which its decision and steps continue.
    const spans = new SpanSet(
      'inactivity-watcher.enroll-idle',
      'inactivity-watcher.idle-conversation',
      pending.map(({ command, conversation }) => ({
        key: command.commandId,
        parent: null,
        attributes: {
          'cadence.request_id': command.commandId,
          'cadence.account_id': command.accountId,
          'cadence.contact_id': command.contactId,
          'cadence.conversation_id': conversation.conversationId,
          'cadence.sequence_id': rule.sequenceId,
        },
      })),
    );
    const traceOf = (command: EnrollmentCommand) => spans.traceParentOf(command.commandId);
    await spans.runToEnd(async () => {
      if (rule.method === 'ai' && accounts.get(rule.accountId)?.maestroEnabled) {
        // An AI trigger cued by inactivity: each command goes out as soon as its own Maestro answer arrives.
        await Promise.all(
          pending.map(async ({ command, conversation }) =>
            this.commands.publish([await this.afterGate(command, rule.sequenceId, conversation)], {
              traceOf,
            }),
          ),
        );
      } else {
        await this.commands.publish(
          pending.map(({ command }) => command),
          { traceOf },
        );
      }
    });
    return pending.length;
  }

  /** Asks with the conversation's recent messages as the row read this tick holds them. */
  private async afterGate(
    command: EnrollCommand,
    sequenceId: string,
    conversation: IdleConversation,
  ): Promise<EnrollCommand> {
    const verdict = await this.gate.ask({
      accountId: command.accountId,
      contactId: command.contactId,
      sequenceId,
      eventType: 'conversation.inactive',
      conversationId: conversation.conversationId,
      data: {},
      recentMessages: conversation.recentMessages,
    });
    return { ...command, provenance: { ...command.provenance, ...maestroProvenance(verdict) } };
  }
}
