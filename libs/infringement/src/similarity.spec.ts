import { canonicalSha256 } from './confirmation.js';
import { foldChineseVariants } from './fold-chinese.js';
import { excerpt, textSimilarity } from './similarity.js';

describe('excerpt', () => {
  const han = '春'.repeat(399);

  it('never cuts a character beyond the BMP in two, so the evidence can be hashed', () => {
    const cut = excerpt(`${han}𠀀${'江'.repeat(50)}`); // U+20000 at UTF-16 units 399-400
    expect(cut).toBe(`${han}…`);
    expect(() => canonicalSha256({ text: cut })).not.toThrow();
    expect(excerpt(`${'春'.repeat(398)}😀${'江'.repeat(50)}`)).toBe(`${'春'.repeat(398)}😀…`); // the pair fits whole
  });

  it('replaces NUL and unpaired surrogates one unit for one, keeping offsets', () => {
    const dirty = `a\u0000b\ud800c\udc00d`;
    expect(excerpt(dirty)).toBe('a\ufffdb\ufffdc\ufffdd');
    expect(excerpt(dirty)).toHaveLength(dirty.length);
    expect(excerpt('完整的 😀 文本')).toBe('完整的 😀 文本');
  });

  it('keeps a passage of at most 400 units whole', () => {
    expect(excerpt('春'.repeat(400))).toBe('春'.repeat(400));
    expect(excerpt('春'.repeat(401))).toBe(`${'春'.repeat(400)}…`);
  });
});

describe('text evidence', () => {
  it('can be hashed when a matched passage reaches past 400 units through characters beyond the BMP', () => {
    const line = '春江潮水连海平海上明月共潮生滟滟随波千万里何处春江无月明江流宛转绕芳甸月照花林皆似霰空里流霜不觉飞汀上白沙看不见';
    let original = '序';
    for (let i = 0; i < 1200; i++) original += line[i % line.length]! + (i % 4 === 1 ? '𠀀' : '');
    const copy = `${original.slice(0, 900)}改${original.slice(901)}`;
    const { matched, evidence } = textSimilarity(
      { text: original, folded: foldChineseVariants(original), sha256: 'a' },
      { text: copy, folded: foldChineseVariants(copy), sha256: 'b' },
    );
    expect(matched).toBe(true);
    // The fixture does what it is for: a plain cut at 400 units would end in half a character.
    expect(evidence.passages.some((p) => /[\uD800-\uDBFF]$/.test(original.slice(p.original.start, p.original.end).slice(0, 400)))).toBe(true);
    expect(() => canonicalSha256(evidence)).not.toThrow();
  });
});
