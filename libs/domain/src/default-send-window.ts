import type { SendWindow } from './send-window';

/**
 * The send window a step goes out under: its sequence's own, or else the account's default (set in the
 * console), or else none (any time). A sequence that sets a window always keeps it.
 */
export const effectiveSendWindow = (
  sequenceWindow: SendWindow | undefined,
  accountDefault: SendWindow | null,
): SendWindow | undefined => sequenceWindow ?? accountDefault ?? undefined;
