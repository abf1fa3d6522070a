// RFC 6962 / 9162 tree hashing against the reference vectors of
// github.com/transparency-dev/merkle, proof/verify_test.go (leaves, roots).
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { EMPTY_ROOT, leafHash, merkleTreeHash, nodeHash, splitPoint } from './merkle.js';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

const RFC6962_LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'];
const RFC6962_ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];

describe('RFC 9162 hashing', () => {
  const leaves = RFC6962_LEAVES.map((h) => leafHash(Buffer.from(h, 'hex')));

  it('EMPTY_ROOT is SHA-256 of the empty string', () => {
    expect(hex(EMPTY_ROOT)).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(hex(merkleTreeHash([]))).toBe(hex(EMPTY_ROOT));
  });

  it.each(RFC6962_ROOTS.map((root, i) => [i + 1, root]))('MTH of the first %i reference leaves is %s', (size, root) => {
    expect(hex(merkleTreeHash(leaves.slice(0, size as number)))).toBe(root);
  });

  it('nodeHash joins two subtrees (root of size 2 and 4)', () => {
    expect(hex(nodeHash(leaves[0]!, leaves[1]!))).toBe(RFC6962_ROOTS[1]);
    expect(hex(nodeHash(nodeHash(leaves[0]!, leaves[1]!), nodeHash(leaves[2]!, leaves[3]!)))).toBe(RFC6962_ROOTS[3]);
  });

  it('leafHash/nodeHash equal SHA-256 with the 0x00/0x01 prefix for any input length, via noble and node (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.uint8Array({ maxLength: 80 }), (a, b) => {
        const leaf = leafHash(a);
        const node = nodeHash(a, b);
        expect(hex(leaf)).toBe(hex(nobleSha256(Buffer.concat([Buffer.of(0), a]))));
        expect(hex(node)).toBe(createHash('sha256').update(Buffer.of(1)).update(a).update(b).digest('hex'));
        // The reused scratch buffer must not leak into earlier results.
        expect(hex(leaf)).toBe(hex(nobleSha256(Buffer.concat([Buffer.of(0), a]))));
      }),
    );
  });

  it('splitPoint is the largest power of two below n, also beyond 32 bits', () => {
    expect([2, 3, 4, 5, 8, 9, 2 ** 31, 2 ** 31 + 1, 2 ** 40 + 7].map(splitPoint)).toEqual([
      1, 2, 2, 4, 4, 8, 2 ** 30, 2 ** 31, 2 ** 40,
    ]);
  });
});
