import { SequenceBlocks, type QueryFn } from './sequence-blocks.js';

/** A sequence as PostgreSQL hands it out, with each block's answer released by the test. */
function fakeSequence() {
  let last = 0;
  const pending: Array<() => void> = [];
  const query: QueryFn = (_text, params) =>
    new Promise((resolve) => {
      const size = Number(params![1]);
      pending.push(() => resolve(Array.from({ length: size }, () => ({ value: String(++last) }))));
    });
  return { query, pending, releaseNext: () => pending.shift()!() };
}

describe('SequenceBlocks', () => {
  it('hands out each value once, in order, across blocks', async () => {
    const sequence = fakeSequence();
    const blocks = new SequenceBlocks(sequence.query, 'seq', 4);
    const taken: string[] = [];
    for (let i = 0; i < 10; i++) {
      const next = blocks.next();
      while (sequence.pending.length) sequence.releaseNext();
      taken.push(await next);
    }
    expect(taken).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
  });

  it('fetches the next block while half of the current one is left, so callers need not wait for it', async () => {
    const sequence = fakeSequence();
    const blocks = new SequenceBlocks(sequence.query, 'seq', 4);
    const first = blocks.next();
    sequence.releaseNext();
    expect(await first).toBe('1');
    expect(await blocks.next()).toBe('2');
    expect(sequence.pending).toHaveLength(0); // two left: no refill yet
    expect(await blocks.next()).toBe('3'); // one left: the refill starts
    expect(sequence.pending).toHaveLength(1);
    expect(await blocks.next()).toBe('4'); // served while the refill is still out
    expect(sequence.pending).toHaveLength(1); // one refill at a time
    const fifth = blocks.next();
    sequence.releaseNext();
    expect(await fifth).toBe('5');
  });

  it('passes a failed fetch to the caller that waits for it, and fetches again for the next caller', async () => {
    let calls = 0;
    const query: QueryFn = async () => {
      calls++;
      if (calls === 1) throw new Error('connection lost');
      return [{ value: '41' }, { value: '42' }];
    };
    const blocks = new SequenceBlocks(query, 'seq', 2);
    await expect(blocks.next()).rejects.toThrow('connection lost');
    expect(await blocks.next()).toBe('41');
  });
});
