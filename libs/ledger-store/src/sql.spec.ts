import { EventEmitter } from 'node:events';
import { preparedSqlOf } from './sql.js';

/** A pool of one client that records how the client was given back. */
function fakePool(answer: (query: { name?: string; text: string; values?: unknown[] }, client: EventEmitter) => Promise<{ rows: unknown[] }>) {
  const releases: Array<Error | undefined> = [];
  const queries: Array<{ name?: string; text: string }> = [];
  const client = Object.assign(new EventEmitter(), {
    query: (query: { name?: string; text: string; values?: unknown[] }) => {
      queries.push({ name: query.name, text: query.text });
      return answer(query, client);
    },
    release: (error?: Error) => void releases.push(error),
  });
  return { pool: { connect: async () => client }, releases, queries };
}

describe('preparedSqlOf', () => {
  it('names each statement text once, with the prefix, and returns the rows', async () => {
    const { pool, queries } = fakePool(async () => ({ rows: [{ n: 1 }] }));
    const sql = preparedSqlOf(pool, 'app');
    expect(await sql('SELECT 1 AS n')).toEqual([{ n: 1 }]);
    await sql('SELECT 2');
    await sql('SELECT 1 AS n');
    expect(queries.map((q) => q.name)).toEqual(['app_0', 'app_1', 'app_0']);
  });

  it('gives the connection back for reuse when a statement fails in the server', async () => {
    // An exclusion violation or a RAISE is an answer: closing the connection
    // would cost a new server process and every prepared statement on it.
    const refusal = Object.assign(new Error('conflicting key value violates exclusion constraint'), { code: '23P01' });
    const { pool, releases } = fakePool(async () => {
      throw refusal;
    });
    await expect(preparedSqlOf(pool)('SELECT f()')).rejects.toBe(refusal);
    expect(releases).toEqual([undefined]);
  });

  it('has the pool drop a connection that reported an error of its own', async () => {
    const lost = new Error('Connection terminated unexpectedly');
    const { pool, releases } = fakePool(async (_query, client) => {
      client.emit('error', lost);
      throw lost;
    });
    await expect(preparedSqlOf(pool)('SELECT 1')).rejects.toBe(lost);
    expect(releases).toEqual([lost]);
  });
});
