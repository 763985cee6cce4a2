/**
 * An error as a log field: its name, message and code, without the enumerable baggage some libraries attach
 * (TypeORM puts the failed query and all its parameters on the error: megabytes for a batched INSERT).
 */
export function conciseError(error: unknown): { name: string; message: string; code?: string } {
  if (!(error instanceof Error)) return { name: 'NonError', message: String(error).slice(0, 2000) };
  const code = (error as { code?: unknown }).code;
  return {
    name: error.name,
    message: error.message.slice(0, 2000),
    ...(typeof code === 'string' ? { code } : {}),
  };
}
