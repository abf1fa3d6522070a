// Scratch timing of the fingerprints (not a test): a ~1 MB JPEG photo and
// ~50 KB texts (English and Chinese), median of several runs after warm-up.
//
//   node bench.js [DATA_DIR]

import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { compareImages } from '../src/image/compare-images.js';
import { imageFingerprint } from '../src/image/image-fingerprint.js';
import { matchPassages } from '../src/text/passages.js';
import { compareTexts, textFingerprint } from '../src/text/text-fingerprint.js';
import { winnow } from '../src/text/winnow.js';
import { syntheticImage } from '../test-support/image-fixtures.js';
import { CHINESE, ENGLISH } from '../test-support/text-fixtures.js';

const dataDir = process.argv[2] ?? process.env.FP_EVAL_DATA ?? '/work/shared/data/detect';

async function time(label: string, runs: number, f: () => unknown): Promise<void> {
  await f();
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await f();
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  console.log(`${label.padEnd(52)} median ${ms[ms.length >> 1]!.toFixed(1)} ms  (min ${ms[0]!.toFixed(1)}, max ${ms[ms.length - 1]!.toFixed(1)})`);
}

function fill(parts: string[], bytes: number): string {
  let s = '';
  for (let i = 0; Buffer.byteLength(s) < bytes; i++) s += parts[i % parts.length] + '\n\n';
  return s;
}

async function oneMegabyteJpeg(): Promise<{ data: Buffer; source: string }> {
  const photo = join(dataDir, 'images/originals/mate-Elephants_3840x2160.jpg');
  if (existsSync(photo)) {
    // Re-encode a real photo at the size and quality that land near 1 MB.
    for (const q of [90, 85, 80, 75, 70, 65, 60]) {
      const data = await sharp(readFileSync(photo)).resize(2560).jpeg({ quality: q }).toBuffer();
      if (data.length <= 1_100_000) return { data, source: `photo mate-Elephants resized to 2560×1440, q${q}` };
    }
  }
  const data = await sharp(await syntheticImage(7, 2600, 1950)).jpeg({ quality: 92 }).toBuffer();
  return { data, source: 'synthetic 2600×1950 q92' };
}

const { data: jpeg, source } = await oneMegabyteJpeg();
console.log(`JPEG: ${source}, ${(jpeg.length / 1e6).toFixed(2)} MB`);
await time('imageFingerprint(1 MB JPEG)', 15, () => imageFingerprint(jpeg));
const fa = await imageFingerprint(jpeg);
const fb = await imageFingerprint(await syntheticImage(9));
await time('compareImages ×1000 (non-matching: all region pairs)', 10, () => {
  for (let i = 0; i < 1000; i++) compareImages(fa, fb);
});

const enDir = join(dataDir, 'text/originals/en');
const zhDir = join(dataDir, 'text/originals/zh');
const en = fill(existsSync(enDir) ? readdirSync(enDir).sort().slice(0, 60).map((f) => readFileSync(join(enDir, f), 'utf8')) : Object.values(ENGLISH), 50_000);
const zh = fill(existsSync(zhDir) ? readdirSync(zhDir).sort().map((f) => readFileSync(join(zhDir, f), 'utf8')) : Object.values(CHINESE), 50_000);
const en2 = en.slice(0, 25_000) + fill(Object.values(ENGLISH), 25_000);
for (const [label, text, other] of [
  ['English', en, en2],
  ['Chinese', zh, zh.slice(20_000) + zh.slice(0, 20_000)],
] as const) {
  console.log(`${label} text: ${Buffer.byteLength(text)} bytes UTF-8, ${text.length} UTF-16 units`);
  await time(`textFingerprint(50 KB ${label})`, 15, () => textFingerprint(text));
  await time(`winnow(50 KB ${label})`, 15, () => winnow(text));
  await time(`compareTexts(50 KB, 50 KB ${label})`, 10, () => compareTexts(text, other));
  await time(`matchPassages(50 KB, 50 KB ${label})`, 10, () => matchPassages(text, other));
}
