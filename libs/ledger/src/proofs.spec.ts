// Inclusion and consistency proofs: RFC 6962 reference vectors, RFC 9162
// verification edge cases, and property tests against the reference MTH.
import fc from 'fast-check';
import { MerkleFrontier } from './frontier.js';
import { EMPTY_ROOT, leafHash, merkleTreeHash, splitPoint } from './merkle.js';
import { consistencyProof, inclusionProof, rootAt, verifyConsistency, verifyInclusion } from './proofs.js';
import { type NodeId, type NodeReader, nodeKey } from './tree-nodes.js';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const unhex = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'hex'));

/** A NodeReader over every node of a tree built with MerkleFrontier, recording each call. */
function memoryTree(leaves: readonly Uint8Array[]) {
  const store = new Map<string, Uint8Array>();
  const frontier = new MerkleFrontier();
  for (const node of frontier.append(leaves).nodes) store.set(nodeKey(node.id), node.hash);
  const calls: NodeId[][] = [];
  let limit = Infinity; // the tree size a proof is for: nodes beyond it must never be asked for
  const read: NodeReader = async (ids) => {
    calls.push(ids);
    for (const id of ids) {
      if ((id.index + 1) * 2 ** id.level > limit) throw new Error(`node ${nodeKey(id)} lies beyond tree size ${limit}`);
    }
    return new Map(ids.flatMap((id) => (store.has(nodeKey(id)) ? [[nodeKey(id), store.get(nodeKey(id))!] as const] : [])));
  };
  return { read, calls, forSize: (size: number) => ((limit = size), (calls.length = 0)) };
}

// ---- Reference vectors: github.com/transparency-dev/merkle, proof/verify_test.go ----
const LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map(
  (data) => leafHash(unhex(data)),
);
const ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
].map(unhex);
// [leaf number (1-based, as in the Go file), tree size, proof]
const INCLUSION_VECTORS: Array<[number, number, string[]]> = [
  [1, 1, []],
  [1, 8, [
    '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
    '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
    '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
  ]],
  [6, 8, [
    'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
    'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  ]],
  [3, 3, ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125']],
  [2, 5, [
    '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
    '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
    'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
  ]],
];
// [size1, size2, proof]
const CONSISTENCY_VECTORS: Array<[number, number, string[]]> = [
  [1, 1, []],
  [1, 8, [
    '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
    '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
    '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
  ]],
  [6, 8, [
    '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
    'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
    'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  ]],
  [2, 5, [
    '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
    'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
  ]],
  [6, 7, [
    '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
    'b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f',
    'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  ]],
];
const SOME_HASH = unhex('abacaba000000000000000000000000000000000000000000060061e00123456');

const flipBit = (proof: Uint8Array[], i: number, bit: number): Uint8Array[] =>
  proof.map((p, j) => (j === i ? p.map((byte, k) => (k === bit >> 3 ? byte ^ (1 << (bit & 7)) : byte)) : p));

describe('RFC 6962 reference vectors', () => {
  const tree = memoryTree(LEAVES);

  it.each(INCLUSION_VECTORS)('inclusion proof of leaf %i in a tree of %i', async (leaf, size, expected) => {
    tree.forSize(size);
    const proof = await inclusionProof(leaf - 1, size, tree.read);
    expect(proof.map(hex)).toEqual(expected);
    expect(verifyInclusion(LEAVES[leaf - 1]!, leaf - 1, size, proof, ROOTS[size - 1]!)).toBe(true);
  });

  it.each(CONSISTENCY_VECTORS)('consistency proof from %i to %i', async (from, to, expected) => {
    tree.forSize(to);
    const proof = await consistencyProof(from, to, tree.read);
    expect(proof.map(hex)).toEqual(expected);
    expect(verifyConsistency(from, to, proof, ROOTS[from - 1]!, ROOTS[to - 1]!)).toBe(true);
  });

  it('rootAt gives the reference roots and the empty root', async () => {
    for (let size = 1; size <= 8; size++) {
      tree.forSize(size);
      expect(hex(await rootAt(size, tree.read))).toBe(hex(ROOTS[size - 1]!));
    }
    expect(hex(await rootAt(0, tree.read))).toBe(hex(EMPTY_ROOT));
  });

  // The corruption probes of verify_test.go (corruptInclusionProof).
  it.each(INCLUSION_VECTORS.filter(([, , p]) => p.length > 0))(
    'rejects every corruption of the inclusion proof of leaf %i in %i',
    (leaf, size, hexProof) => {
      const proof = hexProof.map(unhex);
      const [index, root, hash] = [leaf - 1, ROOTS[size - 1]!, LEAVES[leaf - 1]!];
      const probes: Array<[number, number, Uint8Array, Uint8Array, Uint8Array[]]> = [
        [index - 1, size, root, hash, proof],
        [index + 1, size, root, hash, proof],
        [index ^ 2, size, root, hash, proof],
        [index, size * 2, root, hash, proof],
        [index, Math.floor(size / 2), root, hash, proof],
        [index, size, root, Buffer.from('WrongLeaf'), proof],
        [index, size, EMPTY_ROOT, hash, proof],
        [index, size, SOME_HASH, hash, proof],
        [index, size, root, hash, [...proof, new Uint8Array(0)]],
        [index, size, root, hash, [...proof, root]],
        [index, size, root, hash, [new Uint8Array(0), ...proof]],
        [index, size, root, hash, [root, ...proof]],
        [index, size, root, hash, proof.slice(0, -1)],
        ...proof.map((_, i): [number, number, Uint8Array, Uint8Array, Uint8Array[]] => [index, size, root, hash, flipBit(proof, i, 3)]),
      ];
      if (proof.length > 1) probes.push([index, size, root, hash, [proof[0]!, SOME_HASH, ...proof.slice(1)]]);
      for (const [i, n, r, h, p] of probes) expect(verifyInclusion(h, i, n, p, r)).toBe(false);
    },
  );

  // The corruption probes of verify_test.go (corruptConsistencyProof).
  it.each(CONSISTENCY_VECTORS.filter(([, , p]) => p.length > 0))(
    'rejects every corruption of the consistency proof from %i to %i',
    (from, to, hexProof) => {
      const proof = hexProof.map(unhex);
      const [r1, r2] = [ROOTS[from - 1]!, ROOTS[to - 1]!];
      const wrong = Buffer.from('WrongRoot');
      const probes: Array<[number, number, Uint8Array, Uint8Array, Uint8Array[]]> = [
        [from - 1, to, r1, r2, proof],
        [from + 1, to, r1, r2, proof],
        [from ^ 2, to, r1, r2, proof],
        [from, to * 2, r1, r2, proof],
        [from, Math.floor(to / 2), r1, r2, proof],
        [from, to, wrong, r2, proof],
        [from, to, r1, wrong, proof],
        [from, to, r2, r1, proof],
        [from, to, r1, r2, []],
        [from, to, r1, r2, [...proof, new Uint8Array(0)]],
        [from, to, r1, r2, [...proof, r1]],
        [from, to, r1, r2, [...proof, r2]],
        [from, to, r1, r2, [new Uint8Array(0), ...proof]],
        [from, to, r1, r2, [r1, ...proof]],
        [from, to, r1, r2, [r2, ...proof]],
        [from, to, r1, r2, [proof[0]!, ...proof]],
        [from, to, r1, r2, proof.slice(0, -1)],
        ...proof.map((_, i): [number, number, Uint8Array, Uint8Array, Uint8Array[]] => [from, to, r1, r2, flipBit(proof, i, 4)]),
      ];
      for (const [m, n, a, b, p] of probes) expect(verifyConsistency(m, n, p, a, b)).toBe(false);
    },
  );
});

describe('verification edge cases (verify_test.go TestVerifyInclusion / TestVerifyConsistency)', () => {
  const other = unhex('11'.repeat(32));

  it('rejects inclusion for impossible index/size pairs and wrong-length hashes', () => {
    for (const [index, size] of [[0, 0], [1, 0], [2, 1], [1, 1]] as const) {
      expect(verifyInclusion(SOME_HASH, index, size, [], SOME_HASH)).toBe(false);
    }
    const hash = leafHash(Buffer.from('data'));
    expect(verifyInclusion(hash, 0, 1, [], hash)).toBe(true);
    expect(verifyInclusion(new Uint8Array(0), 0, 1, [], hash)).toBe(false);
    expect(verifyInclusion(hash, 0, 1, [], new Uint8Array(0))).toBe(false);
  });

  it('handles the trivial consistency cases strictly', () => {
    expect(verifyConsistency(0, 0, [], EMPTY_ROOT, EMPTY_ROOT)).toBe(true);
    expect(verifyConsistency(1, 1, [], other, other)).toBe(true);
    expect(verifyConsistency(0, 1, [], EMPTY_ROOT, other)).toBe(true);
    expect(verifyConsistency(0, 1, [], other, SOME_HASH)).toBe(false); // a size-0 root must be the empty root
    expect(verifyConsistency(1, 1, [], other, SOME_HASH)).toBe(false); // same size, different roots
    expect(verifyConsistency(1, 0, [], other, SOME_HASH)).toBe(false); // time travel
    expect(verifyConsistency(2, 1, [], other, SOME_HASH)).toBe(false);
    expect(verifyConsistency(1, 2, [], other, SOME_HASH)).toBe(false); // empty proof
    expect(verifyConsistency(0, 0, [EMPTY_ROOT], EMPTY_ROOT, EMPTY_ROOT)).toBe(false); // non-empty trivial proof
    expect(verifyConsistency(1, 1, [EMPTY_ROOT], other, other)).toBe(false);
  });

  it('never throws on malformed input', () => {
    const junk: unknown[] = [undefined, null, 'x', -1, 1.5, NaN, 2 ** 53, [1], [new Uint8Array(31)], {}];
    for (const j of junk) {
      const any = j as never;
      expect(verifyInclusion(any, 0, 2, [other], other)).toBe(false);
      expect(verifyInclusion(other, any, 2, [other], other)).toBe(false);
      expect(verifyInclusion(other, 0, any, [other], other)).toBe(false);
      expect(verifyInclusion(other, 0, 2, any, other)).toBe(false);
      expect(verifyConsistency(any, 2, [other], other, other)).toBe(false);
      expect(verifyConsistency(1, any, [other], other, other)).toBe(false);
      expect(verifyConsistency(1, 2, any, other, other)).toBe(false);
      expect(verifyConsistency(1, 2, [other], any, other)).toBe(false);
    }
  });
});

describe('proof generation errors', () => {
  const tree = memoryTree(LEAVES);

  it.each([
    [8, 8],
    [-1, 8],
    [1.5, 8],
    [0, NaN],
    [0, -3],
  ])('inclusionProof(%p, %p) is a RangeError', async (index, size) => {
    await expect(inclusionProof(index, size, tree.read)).rejects.toThrow(RangeError);
  });

  it('consistencyProof from a larger to a smaller size is a RangeError; rootAt rejects negative sizes', async () => {
    await expect(consistencyProof(5, 3, tree.read)).rejects.toThrow(/from 5 to the smaller size 3/);
    await expect(consistencyProof(-1, 3, tree.read)).rejects.toThrow(RangeError);
    await expect(rootAt(-1, tree.read)).rejects.toThrow(RangeError);
  });

  it('names the node storage failed to return', async () => {
    const empty: NodeReader = async () => new Map();
    await expect(inclusionProof(0, 8, empty)).rejects.toThrow(/did not return node 0:1/);
  });
});

// ---- Properties on trees of up to 2000 leaves ----

const MAX = 2000;
const LEAF_HASHES = Array.from({ length: MAX }, (_, i) => leafHash(Buffer.from(`leaf ${i}`)));
const big = memoryTree(LEAF_HASHES);
const rootCache = new Map<number, Uint8Array>();
const rootOf = (size: number): Uint8Array => {
  if (!rootCache.has(size)) rootCache.set(size, merkleTreeHash(LEAF_HASHES.slice(0, size)));
  return rootCache.get(size)!;
};
// Nodes read per proof: one range per level plus one right-spine range that splits
// into at most log2(n) nodes, so 2*ceil(log2 n) + 2 bounds it (well inside O(log^2 n)).
const idBound = (n: number): number => 2 * Math.ceil(Math.log2(n)) + 2;

// RFC 9162 PATH and SUBPROOF transcribed literally, hashing ranges with the reference MTH.
function referencePath(m: number, d: readonly Uint8Array[]): Uint8Array[] {
  if (d.length <= 1) return [];
  const k = splitPoint(d.length);
  return m < k
    ? [...referencePath(m, d.slice(0, k)), merkleTreeHash(d.slice(k))]
    : [...referencePath(m - k, d.slice(k)), merkleTreeHash(d.slice(0, k))];
}
function referenceSubproof(m: number, d: readonly Uint8Array[], b: boolean): Uint8Array[] {
  if (m === d.length) return b ? [] : [merkleTreeHash(d)];
  const k = splitPoint(d.length);
  return m <= k
    ? [...referenceSubproof(m, d.slice(0, k), b), merkleTreeHash(d.slice(k))]
    : [...referenceSubproof(m - k, d.slice(k), false), merkleTreeHash(d.slice(0, k))];
}

const sizeAndIndex = fc.integer({ min: 1, max: MAX }).chain((size) => fc.tuple(fc.constant(size), fc.nat(size - 1)));
const sizePair = fc
  .tuple(fc.integer({ min: 1, max: MAX }), fc.integer({ min: 1, max: MAX }))
  .map(([a, b]) => (a <= b ? [a, b] : [b, a]) as [number, number]);

describe('inclusion proofs (property, sizes 1..2000)', () => {
  it('equal the RFC PATH, verify against the reference root, and cost one bounded read', async () => {
    await fc.assert(
      fc.asyncProperty(sizeAndIndex, async ([size, index]) => {
        big.forSize(size);
        const proof = await inclusionProof(index, size, big.read);
        expect(proof.map(hex)).toEqual(referencePath(index, LEAF_HASHES.slice(0, size)).map(hex));
        expect(verifyInclusion(LEAF_HASHES[index]!, index, size, proof, rootOf(size))).toBe(true);
        expect(big.calls.length).toBe(proof.length === 0 ? 0 : 1);
        if (big.calls.length) expect(big.calls[0]!.length).toBeLessThanOrEqual(idBound(size));
      }),
      { numRuns: 150 },
    );
  });

  it('fail after any tampering with bytes, length, index, size or leaf', async () => {
    await fc.assert(
      fc.asyncProperty(
        sizeAndIndex.filter(([size]) => size > 1),
        fc.nat(),
        fc.nat(255),
        fc.integer({ min: 1, max: MAX }),
        fc.nat(MAX - 1),
        async ([size, index], pick, bit, otherSize, otherIndex) => {
          big.forSize(size);
          const proof = await inclusionProof(index, size, big.read);
          const [leaf, root] = [LEAF_HASHES[index]!, rootOf(size)];
          const at = pick % proof.length;
          expect(verifyInclusion(leaf, index, size, flipBit(proof, at, bit), root)).toBe(false);
          expect(verifyInclusion(leaf, index, size, proof.toSpliced(at, 1), root)).toBe(false);
          expect(verifyInclusion(leaf, index, size, proof.toSpliced(at, 0, SOME_HASH), root)).toBe(false);
          expect(verifyInclusion(leaf, index, size, [...proof, proof[at]!], root)).toBe(false);
          if (otherIndex !== index && otherIndex < size) {
            expect(verifyInclusion(leaf, otherIndex, size, proof, root)).toBe(false);
            expect(verifyInclusion(LEAF_HASHES[otherIndex]!, otherIndex, size, proof, root)).toBe(false);
          }
          // A size claim is checked through its root (a checkpoint binds size and root).
          if (otherSize !== size && index < otherSize) {
            expect(verifyInclusion(leaf, index, otherSize, proof, rootOf(otherSize))).toBe(false);
          }
          if (otherIndex !== index) expect(verifyInclusion(LEAF_HASHES[otherIndex]!, index, size, proof, root)).toBe(false);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('consistency proofs (property, sizes 1..2000)', () => {
  it('equal the RFC SUBPROOF, verify against the reference roots, and cost one bounded read', async () => {
    await fc.assert(
      fc.asyncProperty(sizePair, async ([from, to]) => {
        big.forSize(to);
        const proof = await consistencyProof(from, to, big.read);
        const expected = from === to ? [] : referenceSubproof(from, LEAF_HASHES.slice(0, to), true);
        expect(proof.map(hex)).toEqual(expected.map(hex));
        expect(verifyConsistency(from, to, proof, rootOf(from), rootOf(to))).toBe(true);
        expect(big.calls.length).toBe(proof.length === 0 ? 0 : 1);
        if (big.calls.length) expect(big.calls[0]!.length).toBeLessThanOrEqual(idBound(to));
      }),
      { numRuns: 150 },
    );
  });

  it('from size 0 is empty and verifies only from the empty root', async () => {
    big.forSize(5);
    expect(await consistencyProof(0, 5, big.read)).toEqual([]);
    expect(big.calls).toHaveLength(0);
    expect(verifyConsistency(0, 5, [], EMPTY_ROOT, rootOf(5))).toBe(true);
    expect(verifyConsistency(0, 5, [], rootOf(1), rootOf(5))).toBe(false);
  });

  it('fail after any tampering with bytes, length or sizes', async () => {
    await fc.assert(
      fc.asyncProperty(
        sizePair.filter(([from, to]) => from < to),
        fc.nat(),
        fc.nat(255),
        fc.integer({ min: 1, max: MAX }),
        async ([from, to], pick, bit, otherSize) => {
          big.forSize(to);
          const proof = await consistencyProof(from, to, big.read);
          const [r1, r2] = [rootOf(from), rootOf(to)];
          const at = pick % proof.length;
          expect(verifyConsistency(from, to, flipBit(proof, at, bit), r1, r2)).toBe(false);
          expect(verifyConsistency(from, to, proof.toSpliced(at, 1), r1, r2)).toBe(false);
          expect(verifyConsistency(from, to, proof.toSpliced(at, 0, SOME_HASH), r1, r2)).toBe(false);
          expect(verifyConsistency(from, to, [...proof, proof[at]!], r1, r2)).toBe(false);
          expect(verifyConsistency(from, to, proof, r2, r1)).toBe(false);
          if (otherSize !== from) expect(verifyConsistency(otherSize, to, proof, rootOf(otherSize), r2)).toBe(false);
          if (otherSize !== to) expect(verifyConsistency(from, otherSize, proof, r1, rootOf(otherSize))).toBe(false);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('rootAt (property)', () => {
  it('equals the reference MTH with one read of the frontier nodes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: MAX }), async (size) => {
        big.forSize(size);
        expect(hex(await rootAt(size, big.read))).toBe(hex(rootOf(size)));
        expect(big.calls).toHaveLength(1);
        const setBits = size.toString(2).replaceAll('0', '').length;
        expect(big.calls[0]).toHaveLength(setBits);
      }),
      { numRuns: 100 },
    );
  });
});
