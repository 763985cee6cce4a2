/**
 * Whether `zone` is a time zone this runtime can compute local hours in (IANA names such as
 * `America/Sao_Paulo`, and the aliases Intl accepts). Checked wherever a zone is set, so that a send window is
 * never asked to work in a zone it cannot read; the step planner checks it again for rows written before.
 */
export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** A time zone refused where it is set; the value is named (a zone is not a secret). */
export class InvalidTimeZone extends Error {
  constructor(readonly zone: string) {
    super(
      `time zone ${JSON.stringify(zone)} is not an IANA time zone this runtime knows (e.g. "America/Sao_Paulo")`,
    );
    this.name = 'InvalidTimeZone';
  }
}

/** The zone itself when valid; an InvalidTimeZone otherwise. */
export function assertValidTimeZone(zone: string): string {
  if (!isValidTimeZone(zone)) throw new InvalidTimeZone(zone);
  return zone;
}
