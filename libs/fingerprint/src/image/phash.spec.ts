import { mulberry32 } from '../../test-support/prng.js';
import { hammingDistance } from './hamming.js';
import { BLOCK, blockHash } from './phash.js';

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
});
