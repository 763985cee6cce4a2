import type { EntityManager } from 'typeorm';

export type Column<Row> = { name: string; type: string; value: (row: Row) => unknown };

/**
 * One INSERT for many rows: each column travels as one array parameter and is unnested on the server. A
 * column whose value is the same in every row (the batch's account, its timestamp, a null) travels once, as
 * a scalar, which spares serialising and parsing it per row. `suffix` carries ON CONFLICT / RETURNING clauses.
 */
export async function bulkInsert<Row>(
  db: EntityManager,
  table: string,
  columns: ReadonlyArray<Column<Row>>,
  rows: readonly Row[],
  suffix = '',
): Promise<unknown[]> {
  if (rows.length === 0) return [];
  const params: unknown[] = [];
  const selected: string[] = [];
  const unnested: string[] = [];
  const aliases: string[] = [];
  for (const column of columns) {
    const values = rows.map((row) => column.value(row));
    const constant = rows.length > 1 && sameInEveryRow(values);
    params.push(constant ? values[0] : values);
    const parameter = `$${params.length}::${column.type}`;
    if (constant) {
      selected.push(parameter);
    } else {
      unnested.push(`${parameter}[]`);
      aliases.push(column.name);
      selected.push(`u.${column.name}`);
    }
  }
  const source =
    unnested.length > 0
      ? `unnest(${unnested.join(', ')}) AS u(${aliases.join(', ')})`
      : `generate_series(1, ${rows.length})`;
  const names = columns.map((column) => column.name).join(', ');
  return await db.query<unknown[]>(
    `INSERT INTO ${table} (${names}) SELECT ${selected.join(', ')} FROM ${source} ${suffix}`,
    params,
  );
}

function sameInEveryRow(values: readonly unknown[]): boolean {
  const first = values[0];
  if (first instanceof Date) {
    const time = first.getTime();
    return values.every((value) => value instanceof Date && value.getTime() === time);
  }
  if (first !== null && typeof first === 'object') return false;
  return values.every((value) => value === first);
}
