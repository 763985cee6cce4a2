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

/** The SQLSTATE of a pg error, or of the one TypeORM wrapped. */
function sqlState(error: unknown): string | null {
  if (typeof error !== 'object' || error === null) return null;
  const { code, driverError } = error as { code?: unknown; driverError?: { code?: unknown } };
  if (typeof code === 'string') return code;
  return typeof driverError?.code === 'string' ? driverError.code : null;
}
