import { foldChineseVariants } from './fold-chinese.js';
import { hexToInt8, int8ToHex } from './hash64.js';

describe('foldChineseVariants', () => {
  it('maps Traditional to Simplified without moving any offset', () => {
    const traditional = '書店開了六十年，頭髮乾燥。Hello!';
    const folded = foldChineseVariants(traditional);
    expect(folded).toBe('书店开了六十年，头发干燥。Hello!');
    expect(folded.length).toBe(traditional.length);
  });

  it('leaves text without Han characters untouched', () => {
    expect(foldChineseVariants('plain text')).toBe('plain text');
  });
});

describe('64-bit values', () => {
  it('round-trip between hex and signed int8', () => {
    for (const hex of ['0000000000000000', 'ffffffffffffffff', '8000000000000000', '7fffffffffffffff', '0123456789abcdef']) expect(int8ToHex(hexToInt8(hex))).toBe(hex);
    expect(hexToInt8('ffffffffffffffff')).toBe('-1');
    expect(() => hexToInt8('xyz')).toThrow();
  });
});
