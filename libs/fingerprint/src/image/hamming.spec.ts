import fc from 'fast-check';
import { bigIntToHex, bitsToHex, hammingDistance, hexToBigInt } from './hamming.js';

const hash64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }).map(bigIntToHex);

function popcount(v: bigint): number {
  let n = 0;
  for (; v > 0n; v >>= 1n) n += Number(v & 1n);
  return n;
}

describe('hammingDistance', () => {
  it('counts differing bits', () => {
    expect(hammingDistance('0000000000000000', '0000000000000000')).toBe(0);
    expect(hammingDistance('0000000000000000', 'ffffffffffffffff')).toBe(64);
    expect(hammingDistance('8000000000000001', '0000000000000000')).toBe(2);
    expect(hammingDistance('00000000ffffffff', 'ffffffff00000000')).toBe(64);
  });

  it('property: equals the popcount of the XOR, and is a metric', () => {
    fc.assert(
      fc.property(hash64, hash64, hash64, (a, b, c) => {
        const d = hammingDistance(a, b);
        expect(d).toBe(popcount(hexToBigInt(a) ^ hexToBigInt(b)));
        expect(hammingDistance(b, a)).toBe(d);
        expect(hammingDistance(a, a)).toBe(0);
        expect(hammingDistance(a, c)).toBeLessThanOrEqual(d + hammingDistance(b, c));
      }),
    );
  });

  it('rejects anything but 16 lowercase hex digits', () => {
    expect(() => hammingDistance('abc', '0000000000000000')).toThrow(RangeError);
    expect(() => hammingDistance('ABCDEF0123456789', '0000000000000000')).toThrow(RangeError);
    expect(() => bigIntToHex(-1n)).toThrow(RangeError);
  });

  it('packs bits most significant first', () => {
    const bits = Array.from({ length: 64 }, (_, i) => (i === 0 || i === 63 ? 1 : 0));
    expect(bitsToHex(bits)).toBe('8000000000000001');
  });
});
