// TypeORM answers an UPDATE or DELETE with [rows, rowCount] instead of rows;
// this returns the rows whatever the statement was.
import type { EntityManager } from 'typeorm';

export async function queryRows<Row>(manager: EntityManager, text: string, params: unknown[]): Promise<Row[]> {
  const result: unknown = await manager.query(text, params);
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0] as Row[];
  return result as Row[];
}
