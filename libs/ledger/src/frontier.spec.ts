// The sequencer's incremental tree: roots, completed nodes and rebuilds
// checked against the reference MTH.
import fc from 'fast-check';
import { frontierNodeIds, MerkleFrontier, type StoredNode } from './frontier.js';
import { EMPTY_ROOT, leafHash, merkleTreeHash } from './merkle.js';
import { nodeKey } from './tree-nodes.js';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const LEAVES = Array.from({ length: 600 }, (_, i) => leafHash(Buffer.from(`entry ${i}`)));
const referenceHashes = new Map<string, string>();
/** Reference MTH of the perfect subtree (level, index), memoised to keep the property fast. */
function referenceHash(level: number, index: number): string {
  const key = nodeKey({ level, index });
  if (!referenceHashes.has(key)) {
    referenceHashes.set(key, hex(merkleTreeHash(LEAVES.slice(index * 2 ** level, (index + 1) * 2 ** level))));
  }
  return referenceHashes.get(key)!;
}

/** Appends LEAVES[0:total] in the given batch sizes, checking the root after each batch. */
function appendInBatches(frontier: MerkleFrontier, total: number, batches: number[]): StoredNode[] {
  const nodes: StoredNode[] = [];
  let next = frontier.size;
  for (const batch of [...batches, total]) {
    const end = Math.min(total, next + batch);
    nodes.push(...frontier.append(LEAVES.slice(next, end)).nodes);
    next = end;
    expect(frontier.size).toBe(next);
    expect(hex(frontier.root())).toBe(hex(merkleTreeHash(LEAVES.slice(0, next))));
    if (next === total) break;
  }
  return nodes;
}

describe('MerkleFrontier', () => {
  it('starts empty with the empty root', () => {
    const frontier = new MerkleFrontier();
    expect(frontier.size).toBe(0);
    expect(hex(frontier.root())).toBe(hex(EMPTY_ROOT));
    expect(frontier.append([]).nodes).toEqual([]);
  });

  it('reports every perfect subtree exactly once, children first, with its MTH (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 600 }), fc.array(fc.integer({ min: 1, max: 70 })), (total, batches) => {
        const nodes = appendInBatches(new MerkleFrontier(), total, batches);
        // Collect problems and assert once: per-node expect() calls dominate the run time.
        const seen = new Set<string>();
        const problems: string[] = [];
        for (const { id, hash } of nodes) {
          const key = nodeKey(id);
          if ((id.index + 1) * 2 ** id.level > total) problems.push(`${key} lies beyond the tree`);
          if (hex(hash) !== referenceHash(id.level, id.index)) problems.push(`${key} has the wrong hash`);
          const children = [id.index * 2, id.index * 2 + 1].map((index) => nodeKey({ level: id.level - 1, index }));
          if (id.level > 0 && !children.every((child) => seen.has(child))) problems.push(`${key} came before its children`);
          if (seen.has(key)) problems.push(`${key} reported twice`);
          seen.add(key);
        }
        expect(problems).toEqual([]);
        // A tree of n leaves has 2n - popcount(n) perfect subtrees.
        expect(seen.size).toBe(2 * total - total.toString(2).replaceAll('0', '').length);
      }),
      { numRuns: 60 },
    );
  });

  it('rebuilds from stored frontier nodes and continues identically (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 300 }), (size, more) => {
        const whole = new MerkleFrontier();
        const stored = new Map(whole.append(LEAVES.slice(0, size)).nodes.map((n) => [nodeKey(n.id), n.hash]));
        const ids = frontierNodeIds(size);
        const fromMap = MerkleFrontier.fromNodes(size, stored);
        const fromArray = MerkleFrontier.fromNodes(size, ids.map((id) => stored.get(nodeKey(id))!));
        const expected = whole.append(LEAVES.slice(size, size + more)).nodes;
        for (const rebuilt of [fromMap, fromArray]) {
          expect(rebuilt.size).toBe(size);
          const nodes = rebuilt.append(LEAVES.slice(size, size + more)).nodes;
          expect(nodes.map((n) => `${nodeKey(n.id)}=${hex(n.hash)}`)).toEqual(
            expected.map((n) => `${nodeKey(n.id)}=${hex(n.hash)}`),
          );
          expect(hex(rebuilt.root())).toBe(hex(whole.root()));
        }
      }),
      { numRuns: 60 },
    );
  });

  it('names one frontier node per set bit of the size, largest first', () => {
    expect(frontierNodeIds(0)).toEqual([]);
    expect(frontierNodeIds(13)).toEqual([
      { level: 3, index: 0 },
      { level: 2, index: 2 },
      { level: 0, index: 12 },
    ]);
    expect(frontierNodeIds(2 ** 40 + 1).map(nodeKey)).toEqual(['40:0', `0:${2 ** 40}`]);
  });

  it('rejects incomplete or malformed frontier nodes and leaf hashes', () => {
    expect(() => MerkleFrontier.fromNodes(3, [LEAVES[0]!])).toThrow(/frontier node 0:2 is missing/);
    expect(() => MerkleFrontier.fromNodes(1, [LEAVES[0]!, LEAVES[1]!])).toThrow(/has 1 frontier nodes, got 2/);
    expect(() => MerkleFrontier.fromNodes(1, new Map())).toThrow(/frontier node 0:0 is missing/);
    expect(() => new MerkleFrontier().append([new Uint8Array(31)])).toThrow(/must be 32 bytes/);
  });

  it('clone() appends independently of the original', () => {
    const original = new MerkleFrontier();
    original.append(LEAVES.slice(0, 5));
    const rootBefore = hex(original.root());
    const copy = original.clone();
    copy.append(LEAVES.slice(5, 9));
    expect(original.size).toBe(5);
    expect(hex(original.root())).toBe(rootBefore);
    expect(copy.size).toBe(9);
    expect(hex(copy.root())).toBe(hex(merkleTreeHash(LEAVES.slice(0, 9))));
    original.append(LEAVES.slice(5, 9));
    expect(hex(original.root())).toBe(hex(copy.root()));
  });
});
