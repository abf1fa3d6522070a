// RFC 9162 inclusion (2.1.3) and consistency (2.1.4) proofs: generation from
// stored perfect-subtree nodes, and the RFC's verification algorithms.
import { EMPTY_ROOT, nodeHash, splitPoint } from './merkle.js';
import { type NodeId, type NodeReader, nodeKey, perfectSubtrees } from './tree-nodes.js';

/** A leaf range [start, end) whose MTH is one proof element. */
type LeafRange = readonly [start: number, end: number];

function assertSize(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
  }
}

// PATH(m, D[lo:hi]) of RFC 9162 2.1.3.1 with absolute leaf indexes, listing
// the subtree ranges instead of their hashes (leaf-side element first).
function pathRanges(m: number, lo: number, hi: number, out: LeafRange[]): void {
  if (hi - lo <= 1) return;
  const k = lo + splitPoint(hi - lo);
  if (m < k) {
    pathRanges(m, lo, k, out);
    out.push([k, hi]);
  } else {
    pathRanges(m, k, hi, out);
    out.push([lo, k]);
  }
}

// SUBPROOF(m, D[lo:hi], b) of RFC 9162 2.1.4.1; the old tree is D[0:m].
function subproofRanges(m: number, lo: number, hi: number, b: boolean, out: LeafRange[]): void {
  if (m === hi) {
    if (!b) out.push([lo, hi]);
    return;
  }
  const k = lo + splitPoint(hi - lo);
  if (m <= k) {
    subproofRanges(m, lo, k, b, out);
    out.push([k, hi]);
  } else {
    subproofRanges(m, k, hi, false, out);
    out.push([lo, k]);
  }
}

/**
 * Hashes each range from stored nodes fetched in a single read.
 *
 * Every range produced by PATH/SUBPROOF is a node of the MTH recursion: either
 * an aligned perfect subtree (one stored node) or a node on the tree's right
 * spine, [s, n) with s aligned to a power of two >= n - s. The latter
 * decomposes into perfect subtrees of strictly decreasing size, and MTH splits
 * off exactly the leading one each time, so a right-to-left fold with nodeHash
 * rebuilds its MTH. (The fold is not MTH for arbitrary ranges.)
 */
async function hashRanges(ranges: readonly LeafRange[], read: NodeReader): Promise<Uint8Array[]> {
  if (ranges.length === 0) return []; // nothing to fetch: skip the round trip
  const parts = ranges.map(([start, end]) => perfectSubtrees(start, end));
  const wanted = new Map<string, NodeId>();
  for (const id of parts.flat()) wanted.set(nodeKey(id), id);
  const nodes = await read([...wanted.values()]);
  const get = (id: NodeId): Uint8Array => {
    const hash = nodes.get(nodeKey(id));
    if (!hash) throw new Error(`NodeReader did not return node ${nodeKey(id)}`);
    return hash;
  };
  return parts.map((ids) => {
    let hash = get(ids[ids.length - 1]!);
    for (let i = ids.length - 2; i >= 0; i--) hash = nodeHash(get(ids[i]!), hash);
    return hash;
  });
}

/** RFC 9162 2.1.3.1 inclusion proof of leaf `index` in the tree of `treeSize` leaves. */
export async function inclusionProof(index: number, treeSize: number, read: NodeReader): Promise<Uint8Array[]> {
  assertSize('treeSize', treeSize);
  assertSize('index', index);
  if (index >= treeSize) throw new RangeError(`index ${index} is outside a tree of size ${treeSize}`);
  const ranges: LeafRange[] = [];
  pathRanges(index, 0, treeSize, ranges);
  return hashRanges(ranges, read);
}

/** RFC 9162 2.1.4.1 consistency proof from tree size `from` to `to`; [] when from is 0 or equals to. */
export async function consistencyProof(from: number, to: number, read: NodeReader): Promise<Uint8Array[]> {
  assertSize('from', from);
  assertSize('to', to);
  if (from > to) throw new RangeError(`consistency proof from ${from} to the smaller size ${to}`);
  if (from === 0 || from === to) return [];
  const ranges: LeafRange[] = [];
  subproofRanges(from, 0, to, true, ranges);
  return hashRanges(ranges, read);
}

/** Root hash (MTH) of the tree of `treeSize` leaves. */
export async function rootAt(treeSize: number, read: NodeReader): Promise<Uint8Array> {
  assertSize('treeSize', treeSize);
  if (treeSize === 0) return EMPTY_ROOT.slice();
  const [root] = await hashRanges([[0, treeSize]], read);
  return root!;
}

// ---- Verification: RFC 9162 2.1.3.2 and 2.1.4.2, step for step. ----
// Sizes go up to 2^53, so halving uses Math.floor(x / 2) and parity x % 2
// rather than 32-bit bit operators.

const HASH_SIZE = 32;

function isHash(value: unknown): value is Uint8Array {
  // The tag check (not instanceof) also accepts Buffers and arrays from other realms (vm, workers).
  return Object.prototype.toString.call(value) === '[object Uint8Array]' && (value as Uint8Array).length === HASH_SIZE;
}

function isProof(proof: unknown): proof is Uint8Array[] {
  return Array.isArray(proof) && proof.every(isHash);
}

function isSize(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

const odd = (x: number): boolean => x % 2 === 1;
const half = (x: number): number => Math.floor(x / 2);

/** RFC 9162 2.1.3.2: does `proof` show leaf `leafHash` at `index` in the tree of `treeSize` with `root`? Never throws. */
export function verifyInclusion(
  leafHash: Uint8Array,
  index: number,
  treeSize: number,
  proof: Uint8Array[],
  root: Uint8Array,
): boolean {
  if (!isHash(leafHash) || !isHash(root) || !isSize(index) || !isSize(treeSize) || !isProof(proof)) return false;
  if (index >= treeSize) return false;
  let fn = index;
  let sn = treeSize - 1;
  let r = leafHash;
  for (const p of proof) {
    if (sn === 0) return false;
    if (odd(fn) || fn === sn) {
      r = nodeHash(p, r);
      while (!odd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && equal(r, root);
}

/**
 * RFC 9162 2.1.4.2: does `proof` show the tree of size `from` with `fromRoot`
 * is a prefix of the tree of size `to` with `toRoot`? Never throws.
 *
 * The RFC algorithm covers 0 < from < to. For the trivial cases the proof must
 * be empty: from === to needs equal roots, and from === 0 needs fromRoot to be
 * the empty-tree root (stricter than "anything is consistent with nothing").
 */
export function verifyConsistency(
  from: number,
  to: number,
  proof: Uint8Array[],
  fromRoot: Uint8Array,
  toRoot: Uint8Array,
): boolean {
  if (!isSize(from) || !isSize(to) || !isHash(fromRoot) || !isHash(toRoot) || !isProof(proof)) return false;
  if (from > to) return false;
  if (from === to) return proof.length === 0 && equal(fromRoot, toRoot);
  if (from === 0) return proof.length === 0 && equal(fromRoot, EMPTY_ROOT);
  if (proof.length === 0) return false;

  // Step 2: when `from` is a power of two its root is itself a proof node.
  const path = isPowerOfTwo(from) ? [fromRoot, ...proof] : proof;
  let fn = from - 1;
  let sn = to - 1;
  while (odd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (odd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (!odd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && equal(fr, fromRoot) && equal(sr, toRoot);
}

function isPowerOfTwo(n: number): boolean {
  while (n > 1 && n % 2 === 0) n /= 2;
  return n === 1;
}
