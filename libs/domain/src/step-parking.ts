import { effectiveSendWindow } from './default-send-window';
import type { ClaimedStep, DueStep } from './enrollment-records';
import { firingDefinitionSchema, type FiringDefinition } from './firing-definition';
import { sendWindowSchema } from './sequence-definition';
import { isValidTimeZone } from './time-zone';

/**
 * Why a claimed step could not be planned. The label values of `cadence_steps_parked_total{reason}`, and what
 * `enrollments.parked_reason` holds.
 */
export const STEP_PARK_REASONS = [
  /**
   * The step's sequence has a send window and the account's stored time zone is not one Intl can read
   * (written before zones were checked, or by hand).
   */
  'invalid_time_zone',
  /**
   * The pinned version's JSON does not hold valid steps and send window (or, for a sequence without its own
   * window, the account's stored default window is not one).
   */
  'invalid_definition',
  /** The enrollment points past the pinned version's last step (or at no step). */
  'step_out_of_range',
  /** Anything else the planner threw on: kept per step, so it never fails the pass. */
  'planning_failed',
] as const;
export type StepParkReason = (typeof STEP_PARK_REASONS)[number];

export type StepReading = { ok: true; step: DueStep } | { ok: false; reason: StepParkReason; detail: string };

/**
 * Reads claimed steps into steps the planner can fire, one pass at a time. A version's definition and a zone
 * are checked once per pass (a batch usually holds few of either), so checking costs little per step.
 */
export class DueStepReader {
  private readonly definitions = new Map<string, FiringDefinition | string>();
  private readonly zones = new Map<string, boolean>();

  read(claimed: ClaimedStep): StepReading {
    const definition = this.definition(claimed);
    if (typeof definition === 'string') {
      return {
        ok: false,
        reason: 'invalid_definition',
        detail: `version ${claimed.sequenceVersion} of sequence ${claimed.sequenceId}: ${definition}`,
      };
    }
    if (!Number.isInteger(claimed.stepIndex) || !definition.steps[claimed.stepIndex]) {
      return {
        ok: false,
        reason: 'step_out_of_range',
        detail: `version ${claimed.sequenceVersion} of sequence ${claimed.sequenceId} has ${definition.steps.length} steps; step ${claimed.stepIndex} does not exist`,
      };
    }
    const accountDefault = sendWindowSchema.nullable().safeParse(claimed.accountSendWindow ?? null);
    if (!definition.sendWindow && !accountDefault.success) {
      return {
        ok: false,
        reason: 'invalid_definition',
        detail: `the default send window of account ${claimed.accountId} is not a valid send window`,
      };
    }
    const sendWindow = effectiveSendWindow(definition.sendWindow, accountDefault.data ?? null);
    // The zone is read only to place a send window; a step without one never needs it.
    if (sendWindow && !this.isValidZone(claimed.timeZone)) {
      return {
        ok: false,
        reason: 'invalid_time_zone',
        detail: `account time zone ${JSON.stringify(claimed.timeZone)} is not an IANA time zone this runtime knows`,
      };
    }
    return {
      ok: true,
      step: { ...claimed, definition: sendWindow ? { ...definition, sendWindow } : definition },
    };
  }

  private isValidZone(zone: string): boolean {
    let valid = this.zones.get(zone);
    if (valid === undefined) {
      valid = isValidTimeZone(zone);
      this.zones.set(zone, valid);
    }
    return valid;
  }

  /** The checked definition, or what is wrong with it. Versions are immutable, so one check per pass holds. */
  private definition(claimed: ClaimedStep): FiringDefinition | string {
    const key = `${claimed.sequenceId}|${claimed.sequenceVersion}`;
    let known = this.definitions.get(key);
    if (known === undefined) {
      const parsed = firingDefinitionSchema.safeParse(claimed.definition);
      known = parsed.success
        ? parsed.data
        : parsed.error.issues
            .slice(0, 3)
            .map((issue) => `${issue.path.map(String).join('.') || '(definition)'}: ${issue.message}`)
            .join('; ');
      this.definitions.set(key, known);
    }
    return known;
  }
}
