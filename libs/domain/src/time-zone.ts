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
