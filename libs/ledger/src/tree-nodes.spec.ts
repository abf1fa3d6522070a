// Perfect-subtree addressing: decomposition of leaf ranges into stored nodes.
import fc from 'fast-check';
import { nodeKey, perfectSubtrees } from './tree-nodes.js';

describe('perfectSubtrees', () => {
  it('decomposes ranges into maximal aligned perfect subtrees, left to right', () => {
    expect(perfectSubtrees(0, 0)).toEqual([]);
    expect(perfectSubtrees(0, 13)).toEqual([
      { level: 3, index: 0 },
      { level: 2, index: 2 },
      { level: 0, index: 12 },
    ]);
    expect(perfectSubtrees(5, 11)).toEqual([
      { level: 0, index: 5 },
      { level: 1, index: 3 },
      { level: 1, index: 4 },
      { level: 0, index: 10 },
    ]);
    expect(perfectSubtrees(2 ** 40, 2 ** 41)).toEqual([{ level: 40, index: 1 }]);
  });

  it('covers exactly the range with aligned, unmergeable nodes (property)', () => {
    fc.assert(
      fc.property(fc.nat(2 ** 45), fc.nat(2 ** 45), (a, b) => {
        const [start, end] = a <= b ? [a, b] : [b, a];
        const ids = perfectSubtrees(start, end);
        let next = start;
        for (const [i, id] of ids.entries()) {
          expect(id.index * 2 ** id.level).toBe(next); // aligned and contiguous
          next += 2 ** id.level;
          const sibling = ids[i + 1];
          // Maximal: a left child followed by its right sibling would have been merged.
          expect(sibling !== undefined && sibling.level === id.level && id.index % 2 === 0).toBe(false);
        }
        expect(next).toBe(end);
        expect(ids.length).toBeLessThanOrEqual(2 * Math.log2(end - start + 1) + 1);
      }),
    );
  });

  it.each([
    [-1, 3],
    [4, 3],
    [0.5, 3],
    [0, NaN],
    [0, 2 ** 53],
  ])('rejects the invalid range [%p, %p)', (start, end) => {
    expect(() => perfectSubtrees(start, end)).toThrow(RangeError);
  });
});

describe('nodeKey', () => {
  it('is level:index and distinguishes level from index', () => {
    expect(nodeKey({ level: 3, index: 5 })).toBe('3:5');
    expect(nodeKey({ level: 1, index: 23 })).not.toBe(nodeKey({ level: 12, index: 3 }));
  });
});
