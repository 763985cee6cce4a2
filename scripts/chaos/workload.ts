import { enrollCommand, exitCommand, type EnrollCommand, type ExitCommand } from '@cadence/contracts';

export interface WorkloadShape {
  accountId: string;
  sequenceIds: readonly string[];
  /** Enroll messages in all, duplicates included. */
  messages: number;
  /** Share of the messages that are duplicates: half a new request for a key already asked, half a resend. */
  duplicateShare: number;
  /** Share of the contacts that reply afterwards (an exit command each). */
  exitShare: number;
}

export interface Workload {
  /** In the order they are produced. */
  enrolls: EnrollCommand[];
  /**
   * `replied` for some contacts, requested at `now`: produced after the enrolls were decided (an exit only ends
   * enrollments created before it was requested).
   */
  exits: (now: number) => ExitCommand[];
  /** Distinct enroll request ids: each must end in exactly one decision. */
  requestIds: string[];
  /** Distinct (sequence, contact) keys: exactly one enrollment each. */
  distinctKeys: number;
}

/**
 * A deterministic stream for failure tests: first requests for every key, interleaved with duplicates (new
 * requests for a key already asked, exact resends of a message already produced, and requests that repeat an
 * earlier request's idempotency key), then exit commands for some contacts.
 */
export function buildWorkload(shape: WorkloadShape): Workload {
  const duplicates = Math.round(shape.messages * shape.duplicateShare);
  const firsts = shape.messages - duplicates;
  const sequences = shape.sequenceIds.length;
  const contacts = Math.ceil(firsts / sequences);
  const first = Array.from({ length: firsts }, (_, i) => {
    const contactId = `c-${Math.floor(i / sequences)}`;
    return enrollCommand({
      requestedAt: Date.now(),
      method: 'api',
      commandId: `r-${i}`,
      accountId: shape.accountId,
      contactId,
      sequenceId: shape.sequenceIds[i % sequences]!,
      // Every tenth first request carries an idempotency key that a later request repeats.
      idempotencyKey: i % 10 === 0 ? `k-${i}` : null,
    });
  });
  const enrolls: EnrollCommand[] = [];
  const requestIds = new Set<string>();
  let next = 0;
  for (let i = 0; i < firsts; i++) {
    enrolls.push(first[i]!);
    requestIds.add(first[i]!.commandId);
    // Spread the duplicates evenly, each after the request it repeats.
    while (next < duplicates && next * firsts <= i * duplicates) {
      const earlier = first[(next * 7919) % (i + 1)]!;
      const kind = next % 4;
      if (kind === 0) {
        enrolls.push(earlier); // an exact resend: the same request, decided once
      } else {
        const again = enrollCommand({
          requestedAt: Date.now(),
          method: 'api',
          commandId: `d-${next}`,
          accountId: shape.accountId,
          contactId: earlier.contactId,
          sequenceId: earlier.sequenceId,
          // Some repeat the earlier request's idempotency key.
          idempotencyKey: kind === 1 ? earlier.idempotencyKey : null,
        });
        enrolls.push(again);
        requestIds.add(again.commandId);
      }
      next++;
    }
  }
  const exits = (now: number) =>
    Array.from({ length: Math.floor(contacts * shape.exitShare) }, (_, i) =>
      exitCommand({
        requestedAt: now,
        commandId: `x-${i}`,
        accountId: shape.accountId,
        contactId: `c-${i * Math.floor(1 / shape.exitShare)}`,
        rule: 'replied',
      }),
    );
  return { enrolls, exits, requestIds: [...requestIds], distinctKeys: firsts };
}
