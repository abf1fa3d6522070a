import { StatementBatcher } from './statement-batcher.js';

const tick = async () => {
  for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
};

describe('StatementBatcher', () => {
  it('runs a lone call at once, alone', async () => {
    const runs: number[][] = [];
    const batcher = new StatementBatcher<number, number>(async (xs) => (runs.push(xs), xs.map((x) => x * 2)), { maxBatch: 10 });
    expect(await batcher.submit(21)).toBe(42);
    expect(runs).toEqual([[21]]);
  });

  it('puts calls made in the same turn into one run, and answers each its own output', async () => {
    const runs: number[][] = [];
    const batcher = new StatementBatcher<number, string>(async (xs) => (runs.push(xs), xs.map((x) => `#${x}`)), { maxBatch: 10 });
    const answers = await Promise.all([1, 2, 3].map((x) => batcher.submit(x)));
    expect(answers).toEqual(['#1', '#2', '#3']);
    expect(runs).toEqual([[1, 2, 3]]);
  });

  it('lets calls arriving while runs are in flight gather into the next run, up to maxBatch', async () => {
    const runs: number[][] = [];
    const gates: Array<() => void> = [];
    const batcher = new StatementBatcher<number, number>(
      async (xs) => {
        runs.push(xs);
        await new Promise<void>((resolve) => gates.push(resolve));
        return xs;
      },
      { maxBatch: 3, concurrency: 1 },
    );
    const first = batcher.submit(0);
    await tick();
    const rest = [1, 2, 3, 4, 5].map((x) => batcher.submit(x));
    await tick();
    expect(runs).toEqual([[0]]); // the others wait for the one in flight
    gates.shift()!();
    await first;
    await tick();
    expect(runs).toEqual([[0], [1, 2, 3]]);
    gates.shift()!();
    await tick();
    gates.shift()!();
    expect(await Promise.all(rest)).toEqual([1, 2, 3, 4, 5]);
    expect(runs).toEqual([[0], [1, 2, 3], [4, 5]]);
  });

  it('when a batch fails with an error an input can cause, reruns each input alone so only the bad one fails', async () => {
    const runs: number[][] = [];
    const batcher = new StatementBatcher<number, number>(
      async (xs) => {
        runs.push(xs);
        if (xs.includes(13)) throw new Error('unlucky');
        return xs;
      },
      { maxBatch: 10, isolate: (error) => (error as Error).message === 'unlucky' },
    );
    const results = await Promise.allSettled([12, 13, 14].map((x) => batcher.submit(x)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toEqual(new Error('unlucky'));
    expect(runs).toEqual([[12, 13, 14], [12], [13], [14]]);
  });

  it('fails the whole batch, once, with an error it is not told to isolate', async () => {
    let runs = 0;
    const batcher = new StatementBatcher<number, number>(
      async () => {
        runs++;
        throw new Error('database down');
      },
      { maxBatch: 10, isolate: (error) => (error as Error).message === 'unlucky' },
    );
    const results = await Promise.allSettled([1, 2, 3].map((x) => batcher.submit(x)));
    expect(results.every((r) => r.status === 'rejected' && (r.reason as Error).message === 'database down')).toBe(true);
    expect(runs).toBe(1);
  });

  it('refuses a run that answers the wrong number of outputs', async () => {
    const batcher = new StatementBatcher<number, number>(async () => [1], { maxBatch: 10 });
    await expect(Promise.all([batcher.submit(1), batcher.submit(2)])).rejects.toThrow('1 outputs for 2 inputs');
  });
});
