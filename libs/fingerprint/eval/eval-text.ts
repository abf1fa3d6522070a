// Scratch evaluation of the text fingerprints (not a test): recall of each
// copy transformation and false-positive rate on unrelated pairs, for the
// LSH candidate step and for the verified match (isTextMatch).
//
// Data: the public detection set (layout of /work/shared/data/detect/build.sh)
// when present — KJV chapters (English), Tang/Song poems (Chinese), fortune
// entries (English distractors) — otherwise the fixtures in test-support/.
//
//   node eval-text.js [DATA_DIR] [--sweep]

import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { compareTexts, isTextMatch, textFingerprint, TEXT_THRESHOLDS } from '../src/text/text-fingerprint.js';
import { normalizeText } from '../src/text/normalize-text.js';
import { detectScheme, tokenizeNormalized } from '../src/text/tokenize.js';
import { intersectionSize, shingleSet } from '../src/text/shingles.js';
import { type Rng, mulberry32, randInt, shuffled } from '../test-support/prng.js';
import { CHINESE, CHINESE_VOCAB, ENGLISH, ENGLISH_VOCAB } from '../test-support/text-fixtures.js';
import { excerpt, perturbLayout, reorderParagraphs, replaceWords } from '../test-support/text-transforms.js';

const dataDir = process.argv.slice(2).find((a) => !a.startsWith('--')) ?? process.env.FP_EVAL_DATA ?? '/work/shared/data/detect';
const sweep = process.argv.includes('--sweep');
const rng = mulberry32(20240601);

function readDir(dir: string, limit: number, r: Rng): string[] {
  if (!existsSync(dir)) return [];
  const files = shuffled(r, readdirSync(dir).sort()).slice(0, limit);
  return files.map((f) => readFileSync(join(dir, f), 'utf8'));
}

interface Corpus {
  name: string;
  works: string[];
  distractors: string[];
  vocab: readonly string[];
}

function loadCorpora(): Corpus[] {
  const en = readDir(join(dataDir, 'text/originals/en'), 150, rng).filter((t) => t.length >= 1500);
  const zhAll = existsSync(join(dataDir, 'text/originals/zh')) ? readdirSync(join(dataDir, 'text/originals/zh')).sort() : [];
  const zhPoems = zhAll.map((f) => readFileSync(join(dataDir, 'text/originals/zh', f), 'utf8'));
  const fortunes = readDir(join(dataDir, 'text/distractors/en'), 300, rng);
  if (en.length === 0 || zhPoems.length === 0) {
    console.log(`no data in ${dataDir}; using fixtures`);
    return [
      { name: 'en-fixtures', works: Object.values(ENGLISH), distractors: [], vocab: ENGLISH_VOCAB },
      { name: 'zh-fixtures', works: Object.values(CHINESE), distractors: [], vocab: CHINESE_VOCAB },
    ];
  }
  // Poems are 30-100 characters: evaluate them singly (short works) and as
  // collections of 8 consecutive poems (a typical registered text length).
  const collections: string[] = [];
  for (let i = 0; i + 8 <= zhPoems.length; i += 8) collections.push(zhPoems.slice(i, i + 8).join('\n\n'));
  const poems = shuffled(rng, zhPoems).slice(0, 150);
  const zhVocab = Array.from(new Set(Array.from(zhPoems.join('')).filter((c) => /\p{Script=Han}/u.test(c))));
  const enVocab = Array.from(new Set(fortunes.join(' ').match(/[A-Za-z]{3,}/g) ?? []));
  return [
    { name: 'en KJV chapters', works: en.slice(0, 100), distractors: fortunes, vocab: enVocab },
    { name: 'zh poem collections', works: collections, distractors: [], vocab: zhVocab },
    { name: 'zh single poems', works: poems, distractors: [], vocab: zhVocab },
  ];
}

type Transform = (t: string, r: Rng, vocab: readonly string[]) => string;
const TRANSFORMS: Record<string, Transform> = {
  'replace 20%': (t, r, v) => replaceWords(t, 0.2, r, v),
  'reorder paragraphs': (t, r) => reorderParagraphs(t, r),
  'excerpt 30%': (t, r) => excerpt(t, 0.3, r),
  'layout/punctuation': (t, r) => perturbLayout(t, r),
  'excerpt 30% + replace 10%': (t, r, v) => replaceWords(excerpt(t, 0.3, r), 0.1, r, v),
};

function shareKey(a: string[], b: string[]): boolean {
  const s = new Set(a);
  return b.some((k) => s.has(k));
}

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;

function evaluate(c: Corpus): void {
  console.log(`\n## ${c.name}: ${c.works.length} works, ${c.distractors.length} distractors`);
  const fps = c.works.map((w) => textFingerprint(w));
  console.log('| transform | pairs | mean J | min J | mean containment | LSH candidate | verified match |');
  console.log('|---|---|---|---|---|---|---|');
  for (const [name, tf] of Object.entries(TRANSFORMS)) {
    let n = 0;
    let sumJ = 0;
    let minJ = 1;
    let sumC = 0;
    let lsh = 0;
    let match = 0;
    c.works.forEach((w, i) => {
      const copy = tf(w, rng, c.vocab);
      const cmp = compareTexts(copy, w);
      n++;
      sumJ += cmp.jaccard;
      minJ = Math.min(minJ, cmp.jaccard);
      sumC += cmp.aInB;
      if (shareKey(textFingerprint(copy).bandKeys, fps[i]!.bandKeys)) lsh++;
      if (isTextMatch(cmp)) match++;
    });
    console.log(`| ${name} | ${n} | ${(sumJ / n).toFixed(3)} | ${minJ.toFixed(3)} | ${(sumC / n).toFixed(3)} | ${pct(lsh / n)} | ${pct(match / n)} |`);
  }

  // Unrelated pairs: other works of the same corpus (same language and
  // style, the hard case), plus distractors against every work.
  let pairs = 0;
  let lsh = 0;
  let fp = 0;
  let maxJ = 0;
  let maxC = 0;
  const jacs: number[] = [];
  const others: Array<[number, string, string[]]> = [];
  for (let i = 0; i < c.works.length; i++) {
    for (let j = i + 1; j < c.works.length; j++) others.push([i, c.works[j]!, fps[j]!.bandKeys]);
    for (const d of c.distractors.slice(0, 40)) others.push([i, d, []]);
  }
  for (const [i, other, keysIn] of others) {
    const keys = keysIn.length ? keysIn : textFingerprint(other).bandKeys;
    const cmp = compareTexts(other, c.works[i]!);
    pairs++;
    if (shareKey(keys, fps[i]!.bandKeys)) lsh++;
    if (isTextMatch(cmp)) {
      fp++;
      if (fp <= 3) console.log(`  false match J=${cmp.jaccard.toFixed(3)} aInB=${cmp.aInB.toFixed(3)} bInA=${cmp.bInA.toFixed(3)} shingles=${cmp.shingles}`);
    }
    maxJ = Math.max(maxJ, cmp.jaccard);
    maxC = Math.max(maxC, cmp.shingles[0] >= TEXT_THRESHOLDS.minContainedShingles ? cmp.aInB : 0, cmp.shingles[1] >= TEXT_THRESHOLDS.minContainedShingles ? cmp.bInA : 0);
    jacs.push(cmp.jaccard);
  }
  jacs.sort((x, y) => x - y);
  console.log(
    `unrelated: ${pairs} pairs, LSH candidates ${pct(lsh / pairs)}, verified false matches ${fp} (${pct(fp / pairs)}), ` +
      `J p99 ${jacs[Math.floor(jacs.length * 0.99)]!.toFixed(3)} max ${maxJ.toFixed(3)}, max containment ${maxC.toFixed(3)}`,
  );
}

function sweepShingles(c: Corpus): void {
  console.log(`\n## shingle size sweep, ${c.name}`);
  const scheme = detectScheme(normalizeText(c.works[0]!).text);
  for (const size of scheme === 'char' ? [3, 4, 5, 6] : [2, 3, 4, 5]) {
    const sets = c.works.map((w) => shingleSet(tokenizeNormalized(normalizeText(w), scheme), size));
    const jac = (a: Uint32Array, b: Uint32Array): number => {
      const common = intersectionSize(a, b);
      return common / (a.length + b.length - common || 1);
    };
    let rep = 0;
    let exc = 0;
    for (let i = 0; i < c.works.length; i++) {
      const r = shingleSet(tokenizeNormalized(normalizeText(replaceWords(c.works[i]!, 0.2, rng, c.vocab)), scheme), size);
      rep += jac(r, sets[i]!);
      const e = shingleSet(tokenizeNormalized(normalizeText(excerpt(c.works[i]!, 0.3, rng)), scheme), size);
      exc += jac(e, sets[i]!);
    }
    const un: number[] = [];
    for (let k = 0; k < 2000; k++) {
      const i = randInt(rng, sets.length);
      const j = randInt(rng, sets.length);
      if (i !== j) un.push(jac(sets[i]!, sets[j]!));
    }
    un.sort((x, y) => x - y);
    console.log(
      `size ${size}: replace20 mean J ${(rep / c.works.length).toFixed(3)}, excerpt30 mean J ${(exc / c.works.length).toFixed(3)}, ` +
        `unrelated J p99 ${un[Math.floor(un.length * 0.99)]!.toFixed(4)} max ${un[un.length - 1]!.toFixed(4)}`,
    );
  }
}

for (const c of loadCorpora()) {
  if (sweep) sweepShingles(c);
  else evaluate(c);
}
