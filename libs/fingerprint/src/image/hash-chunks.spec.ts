import fc from 'fast-check';
import { bigIntToHex, hammingDistance, hexToBigInt } from './hamming.js';
import { chunkValues, guaranteedDistance, hashChunks, multiProbeKeys, probeKeys, radiusFor } from './hash-chunks.js';

const hash64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }).map(bigIntToHex);
const flips = (max: number) => fc.uniqueArray(fc.integer({ min: 0, max: 63 }), { maxLength: max });
const flip = (hex: string, bits: number[]): string => bigIntToHex(bits.reduce((v, b) => v ^ (1n << BigInt(b)), hexToBigInt(hex)));

describe('hashChunks', () => {
  it('splits into four 16-bit chunks keyed by position', () => {
    expect(chunkValues('0123456789abcdef')).toEqual([0x0123, 0x4567, 0x89ab, 0xcdef]);
    expect(hashChunks('0123456789abcdef')).toEqual([0x0123, 65536 + 0x4567, 2 * 65536 + 0x89ab, 3 * 65536 + 0xcdef]);
    // Equal values at different positions are different keys.
    expect(new Set(hashChunks('abcdabcdabcdabcd')).size).toBe(4);
    expect(hashChunks('00000000000000ff', 8)).toHaveLength(8);
  });

  it('property: hashes within distance 3 share a chunk key', () => {
    fc.assert(
      fc.property(hash64, flips(3), (a, bits) => {
        const b = flip(a, bits);
        expect(hammingDistance(a, b)).toBe(bits.length);
        const keys = new Set(hashChunks(a));
        expect(hashChunks(b).some((k) => keys.has(k))).toBe(true);
      }),
    );
  });

  it('can miss at distance 4 without probing (the bound is tight)', () => {
    const a = '0000000000000000';
    const b = flip(a, [0, 16, 32, 48]);
    const keys = new Set(hashChunks(a));
    expect(hashChunks(b).some((k) => keys.has(k))).toBe(false);
    expect(probeKeys(a, 7).some((k) => hashChunks(b).includes(k))).toBe(true);
  });
});

describe('probeKeys', () => {
  it('relates radius, distance and key count', () => {
    expect([0, 1, 2, 3].map((r) => guaranteedDistance(r))).toEqual([3, 7, 11, 15]);
    expect([3, 4, 7, 8, 12].map((d) => radiusFor(d))).toEqual([0, 1, 1, 2, 3]);
    expect(probeKeys('0123456789abcdef', 3)).toHaveLength(4);
    expect(probeKeys('0123456789abcdef', 7)).toHaveLength(4 * 17);
    expect(new Set(probeKeys('0123456789abcdef', 11)).size).toBe(4 * (1 + 16 + 120));
    expect(guaranteedDistance(1, 8)).toBe(15);
  });

  it('property: every hash within the threshold shares a key with the probe set', () => {
    fc.assert(
      fc.property(hash64, flips(12), (a, bits) => {
        const probes = new Set(probeKeys(a, 12));
        expect(hashChunks(flip(a, bits)).some((k) => probes.has(k))).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('refuses radii that would explode', () => {
    expect(() => probeKeys('0123456789abcdef', 30)).toThrow(RangeError);
    expect(() => hashChunks('0123456789abcdef', 12)).toThrow(RangeError);
  });
});

describe('multiProbeKeys', () => {
  // Positions count from the first (most significant) bit, as BlockHash.weak does.
  const flipAt = (hex: string, positions: number[]): string => flip(hex, positions.map((p) => 63 - p));
  const weakEverywhere = [0, 1, 2, 3, 16, 17, 18, 19, 32, 33, 34, 35, 48, 49, 50, 51];

  it('without weak bits probes the radius only', () => {
    const spec = { radius: 1, weakBits: 4, weakFlips: 2 };
    expect(new Set(multiProbeKeys('0123456789abcdef', spec))).toEqual(new Set(probeKeys('0123456789abcdef', 7)));
  });

  it('adds every combination of up to weakFlips of each chunk\'s weakBits least reliable bits', () => {
    expect(multiProbeKeys('0123456789abcdef', { radius: 0, weakBits: 4, weakFlips: 2 }, weakEverywhere)).toHaveLength(4 * (1 + 4 + 6));
    expect(multiProbeKeys('0123456789abcdef', { radius: 0, weakBits: 2, weakFlips: 3 }, weakEverywhere)).toHaveLength(4 * (1 + 2 + 1));
    // Two weak bits flipped in every chunk: found; a bit beyond weakBits flipped in every chunk: not.
    const a = '0000000000000000';
    const keys = new Set(multiProbeKeys(a, { radius: 0, weakBits: 2, weakFlips: 2 }, weakEverywhere));
    const near = flipAt(a, [0, 16, 32, 48, 1, 17, 33, 49]);
    expect(hashChunks(near).some((k) => keys.has(k))).toBe(true);
    const far = flipAt(a, [0, 2, 16, 18, 32, 34, 48, 50]);
    expect(hashChunks(far).some((k) => keys.has(k))).toBe(false);
  });

  it('property: a hash that differs only in weak bits of one chunk (any others elsewhere) is found', () => {
    fc.assert(
      fc.property(hash64, fc.shuffledSubarray(weakEverywhere.slice(4, 8), { minLength: 1, maxLength: 2 }), flips(10), (a, weak, noise) => {
        // Noise anywhere but chunk 1 (positions 16..31); in chunk 1 only its weak bits differ.
        const elsewhere = noise.map((p) => 63 - p).filter((p) => p < 16 || p > 31);
        const b = flipAt(a, [...weak, ...elsewhere]);
        const keys = new Set(multiProbeKeys(a, { radius: 0, weakBits: 4, weakFlips: 2 }, weakEverywhere));
        expect(keys.has(hashChunks(b)[1]!)).toBe(true);
      }),
      { numRuns: 100 },
    );
  });
});
