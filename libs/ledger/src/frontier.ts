// Incremental Merkle tree for the sequencer: appends leaves and reports the
// perfect-subtree nodes each append completes, so storage can insert them.
import { EMPTY_ROOT, nodeHash } from './merkle.js';
import { type NodeId, nodeKey, perfectSubtrees } from './tree-nodes.js';

/** The nodes storage must load to rebuild the frontier of a tree of `size` leaves (one per set bit of size). */
export function frontierNodeIds(size: number): NodeId[] {
  return perfectSubtrees(0, size);
}

export interface StoredNode {
  id: NodeId;
  hash: Uint8Array;
}

/**
 * For a tree of n leaves, holds the roots of the perfect subtrees given by the
 * set bits of n, largest (leftmost) first. That is all an append-only tree
 * needs to extend itself and compute its root in O(log n) memory.
 */
export class MerkleFrontier {
  // Parallel stacks; levels are strictly decreasing from bottom to top.
  private readonly hashes: Uint8Array[] = [];
  private readonly levels: number[] = [];
  private count = 0;

  /** Number of leaves appended so far. */
  get size(): number {
    return this.count;
  }

  /**
   * Rebuilds the frontier of a tree of `size` leaves from the hashes of
   * frontierNodeIds(size), given in that order or as a map keyed by nodeKey
   * (what a NodeReader returns).
   */
  static fromNodes(size: number, hashes: readonly Uint8Array[] | ReadonlyMap<string, Uint8Array>): MerkleFrontier {
    const ids = frontierNodeIds(size);
    const frontier = new MerkleFrontier();
    ids.forEach((id, i) => {
      const hash = Array.isArray(hashes) ? hashes[i] : (hashes as ReadonlyMap<string, Uint8Array>).get(nodeKey(id));
      if (!hash || hash.length !== 32) throw new Error(`frontier node ${nodeKey(id)} is missing or not a 32-byte hash`);
      frontier.hashes.push(hash);
      frontier.levels.push(id.level);
    });
    if (Array.isArray(hashes) && hashes.length !== ids.length) {
      throw new Error(`a tree of size ${size} has ${ids.length} frontier nodes, got ${hashes.length}`);
    }
    frontier.count = size;
    return frontier;
  }

  /** An independent copy, so a caller can append speculatively and keep the original until storage commits. */
  clone(): MerkleFrontier {
    const copy = new MerkleFrontier();
    copy.hashes.push(...this.hashes);
    copy.levels.push(...this.levels);
    copy.count = this.count;
    return copy;
  }

  /**
   * Appends leaf hashes and returns every perfect subtree completed by them:
   * each new leaf (level 0) plus each parent it completes, children first.
   */
  append(leafHashes: readonly Uint8Array[]): { nodes: StoredNode[] } {
    const nodes: StoredNode[] = [];
    for (const leaf of leafHashes) {
      if (leaf.length !== 32) throw new Error(`leaf hash ${this.count} must be 32 bytes, got ${leaf.length}`);
      let index = this.count;
      let level = 0;
      let hash = leaf;
      nodes.push({ id: { level, index }, hash });
      // A top of equal level is the left sibling: merge, like a binary carry.
      while (this.levels.length > 0 && this.levels[this.levels.length - 1] === level) {
        this.levels.pop();
        hash = nodeHash(this.hashes.pop()!, hash);
        level++;
        index = (index - 1) / 2; // index is odd here: the right child
        nodes.push({ id: { level, index }, hash });
      }
      this.hashes.push(hash);
      this.levels.push(level);
      this.count++;
    }
    return { nodes };
  }

  /** MTH of the current tree: the frontier folded right to left. */
  root(): Uint8Array {
    const n = this.hashes.length;
    if (n === 0) return EMPTY_ROOT.slice();
    let hash = this.hashes[n - 1]!;
    for (let i = n - 2; i >= 0; i--) hash = nodeHash(this.hashes[i]!, hash);
    return hash;
  }
}
