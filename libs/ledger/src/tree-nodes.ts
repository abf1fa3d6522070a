// Storage addressing of the Merkle tree: every stored node is a perfect subtree.
//
// Only perfect subtrees are stored because they never change once complete,
// so rows are insert-only; any other hash the tree needs is folded from them.

/** The perfect subtree covering leaves [index * 2^level, (index + 1) * 2^level); level 0 is a leaf hash. */
export interface NodeId {
  readonly level: number;
  readonly index: number;
}

/**
 * Fetches stored node hashes keyed by nodeKey(id). Storage implements it with
 * ONE query, so every proof costs one round trip. Missing ids are left out of
 * the map (the caller reports them).
 */
export type NodeReader = (ids: NodeId[]) => Promise<Map<string, Uint8Array>>;

/** Stable string key of a node, e.g. "3:5" for level 3, index 5. */
export function nodeKey(id: NodeId): string {
  return `${id.level}:${id.index}`;
}

/**
 * Splits the leaf range [start, end) into maximal aligned perfect subtrees,
 * left to right. For a range ending at the tree's right edge these are the
 * tree's "frontier" nodes with strictly decreasing levels.
 */
export function perfectSubtrees(start: number, end: number): NodeId[] {
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start) {
    throw new RangeError(`perfectSubtrees: invalid leaf range [${start}, ${end})`);
  }
  const ids: NodeId[] = [];
  while (start < end) {
    // Grow while the next size is still aligned at `start` and fits in the range.
    let level = 0;
    let size = 1;
    while (start % (size * 2) === 0 && start + size * 2 <= end) {
      size *= 2;
      level++;
    }
    ids.push({ level, index: start / size });
    start += size;
  }
  return ids;
}
