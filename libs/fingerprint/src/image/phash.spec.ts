import { mulberry32 } from '../../test-support/prng.js';
import { hammingDistance } from './hamming.js';
import { BLOCK, blockHash, lowDct, WEAK_BITS } from './phash.js';

function randomBlock(seed: number): Float64Array {
  const r = mulberry32(seed);
  // Smooth structure (a few low-frequency waves) plus noise, like a downscaled photo.
  const waves = Array.from({ length: 4 }, () => [r() * 4, r() * 4, r() * 6, 20 + r() * 40]);
  const b = new Float64Array(BLOCK * BLOCK);
  for (let y = 0; y < BLOCK; y++)
    for (let x = 0; x < BLOCK; x++) {
      let v = 128;
      for (const [fx, fy, ph, amp] of waves) v += amp! * Math.sin((fx! * x + fy! * y) / 5 + ph!);
      b[y * BLOCK + x] = v + (r() - 0.5) * 6;
    }
  return b;
}

const ones = (hex: string): number => hammingDistance(hex, '0000000000000000');

describe('blockHash', () => {
  it('sets exactly half the bits (median threshold)', () => {
    for (let s = 1; s <= 5; s++) expect(ones(blockHash(randomBlock(s)).hash)).toBe(32);
  });

  it('ignores brightness and contrast changes', () => {
    const b = randomBlock(7);
    const changed = b.map((v) => v * 1.3 - 20);
    expect(blockHash(changed).hash).toBe(blockHash(b).hash);
  });

  it('computes the mirrored hash exactly from the same coefficients', () => {
    const b = randomBlock(9);
    const mirrored = new Float64Array(b.length);
    for (let y = 0; y < BLOCK; y++) for (let x = 0; x < BLOCK; x++) mirrored[y * BLOCK + x] = b[y * BLOCK + (BLOCK - 1 - x)]!;
    expect(blockHash(mirrored).hash).toBe(blockHash(b).mirrored);
    expect(hammingDistance(blockHash(b).hash, blockHash(b).mirrored)).toBeGreaterThan(10);
  });

  it('tells blocks apart and tolerates noise', () => {
    const a = randomBlock(11);
    const noisy = a.map((v, i) => v + ((i * 7919) % 13) - 6);
    expect(hammingDistance(blockHash(a).hash, blockHash(noisy).hash)).toBeLessThanOrEqual(4);
    expect(hammingDistance(blockHash(a).hash, blockHash(randomBlock(12)).hash)).toBeGreaterThan(16);
  });

  it('reports contrast: 0 for a flat block', () => {
    expect(blockHash(new Float64Array(BLOCK * BLOCK).fill(90)).contrast).toBe(0);
    expect(blockHash(randomBlock(3)).contrast).toBeGreaterThan(10);
  });

  it('lists the least reliable bits first: the coefficients nearest the median', () => {
    const b = randomBlock(13);
    const { weak } = blockHash(b);
    expect(weak).toHaveLength(WEAK_BITS);
    expect(new Set(weak).size).toBe(WEAK_BITS);
    const f = lowDct(b);
    const coeff = (p: number) => f[1 + (p >> 3)]![1 + (p & 7)]!;
    const sorted = Array.from({ length: 64 }, (_, p) => coeff(p)).sort((x, y) => x - y);
    const median = (sorted[31]! + sorted[32]! ) / 2;
    const margins = weak.map((p) => Math.abs(coeff(p) - median));
    expect(margins).toEqual([...margins].sort((x, y) => x - y));
    // No unlisted coefficient is nearer the median than the last listed one.
    const unlisted = Array.from({ length: 64 }, (_, p) => p).filter((p) => !weak.includes(p));
    expect(Math.min(...unlisted.map((p) => Math.abs(coeff(p) - median)))).toBeGreaterThanOrEqual(margins[margins.length - 1]!);
  });

  it('the bits that noise flips are among the listed weak bits', () => {
    for (let s = 20; s < 30; s++) {
      const a = randomBlock(s);
      const noisy = a.map((v, i) => v + ((i * 7919 + s) % 17) - 8);
      const ha = blockHash(a);
      const diff = BigInt(`0x${ha.hash}`) ^ BigInt(`0x${blockHash(noisy).hash}`);
      const flipped = Array.from({ length: 64 }, (_, p) => p).filter((p) => (diff >> BigInt(63 - p)) & 1n);
      for (const p of flipped) expect(ha.weak).toContain(p);
    }
  });
});
