import type { EntityManager } from 'typeorm';

export type Column<Row> = { name: string; type: string; value: (row: Row) => unknown };

/**
 * One INSERT for many rows: each column travels as one array parameter and is unnested on the server.
 * `suffix` carries ON CONFLICT / RETURNING clauses.
 */
export async function bulkInsert<Row>(
  db: EntityManager,
  table: string,
  columns: ReadonlyArray<Column<Row>>,
  rows: readonly Row[],
  suffix = '',
): Promise<unknown[]> {
  if (rows.length === 0) return [];
  const names = columns.map((column) => column.name).join(', ');
  const arrays = columns.map((column) => rows.map((row) => column.value(row)));
  const unnest = columns.map((column, index) => `$${index + 1}::${column.type}[]`).join(', ');
  return await db.query<unknown[]>(
    `INSERT INTO ${table} (${names}) SELECT * FROM unnest(${unnest}) ${suffix}`,
    arrays,
  );
}
