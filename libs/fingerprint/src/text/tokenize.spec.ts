import { CHINESE, ENGLISH } from '../../test-support/text-fixtures.js';
import { chooseScheme, detectScheme, noSpaceScriptRatio, tokenize } from './tokenize.js';
import { normalizeText } from './normalize-text.js';

describe('scheme detection', () => {
  it('tokenises English per word and Chinese per character', () => {
    expect(detectScheme(normalizeText(ENGLISH.bread!).text)).toBe('word');
    expect(detectScheme(normalizeText(CHINESE.rice!).text)).toBe('char');
    expect(detectScheme(normalizeText('日本語のテキストです').text)).toBe('char');
    expect(detectScheme(normalizeText('한국어는 띄어쓰기를 합니다').text)).toBe('word');
  });

  it('measures the share of no-space-script letters', () => {
    expect(noSpaceScriptRatio('abcd')).toBe(0);
    expect(noSpaceScriptRatio('中文ab')).toBe(0.5);
    expect(noSpaceScriptRatio('')).toBe(0);
  });

  it('compares mixed pairs per character', () => {
    expect(chooseScheme('word', 'word')).toBe('word');
    expect(chooseScheme('char', 'char')).toBe('char');
    expect(chooseScheme('word', 'char')).toBe('char');
  });
});

describe('tokenize', () => {
  it('gives each word its original range', () => {
    const input = 'Hello,  WORLD — again!';
    const seq = tokenize(input);
    expect(seq.tokens).toEqual(['hello', 'world', 'again']);
    expect(Array.from(seq.starts, (s, i) => input.slice(s, seq.ends[i]))).toEqual(['Hello', 'WORLD', 'again']);
  });

  it('drops whitespace and punctuation between Chinese characters', () => {
    const input = '你好， 世界';
    const seq = tokenize(input);
    expect(seq.scheme).toBe('char');
    expect(seq.tokens).toEqual(['你', '好', '世', '界']);
    expect(input.slice(seq.starts[2], seq.ends[2])).toBe('世');
  });

  it('keeps astral characters whole', () => {
    const seq = tokenize('𠀀𠀁中文', 'char');
    expect(seq.tokens).toEqual(['𠀀', '𠀁', '中', '文']);
    expect(seq.hashes[0]).not.toBe(seq.hashes[1]);
  });
});
