/**
 * Errors the same input raises again, however often it is retried: a value Postgres refuses (data exception,
 * class 22), a NOT NULL or CHECK violation, an index row over the size limit. Unique violations are not among
 * them: they come from races, and a retry reads the winner.
 */
export function isPermanentDataError(error: unknown): boolean {
  const code = sqlState(error);
  if (!code) return false;
  return code.startsWith('22') || code === '23502' || code === '23514' || code === '54000';
}

/** True for a unique violation of the named constraint (index). */
export function isUniqueViolation(error: unknown, constraint: string): boolean {
  return sqlState(error) === '23505' && driverError(error)?.constraint === constraint;
}

type PgError = { code?: unknown; constraint?: unknown };

/** The error pg raised: the error itself, or the one TypeORM wrapped. */
function driverError(error: unknown): PgError | null {
  if (typeof error !== 'object' || error === null) return null;
  return (error as { driverError?: PgError }).driverError ?? error;
}

function sqlState(error: unknown): string | null {
  const code = driverError(error)?.code;
  return typeof code === 'string' ? code : null;
}
