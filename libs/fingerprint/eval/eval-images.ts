// Scratch evaluation of the image fingerprints (not a test).
//
// Registered set ("originals"): the real photos and wallpapers of the public
// detection set (when present) plus synthetic images. Queries: every
// original under each copy transformation (positives), and unrelated images
// (distractors, plus every copy against every OTHER original) as negatives.
// Reports per-transformation recall and the false-positive rate, for the
// shipped compareImages()/isImageMatch(), and with --sweep for alternative
// window sets and thresholds.
//
//   node eval-images.js [DATA_DIR] [--sweep] [--synthetic N] [--distractors N]

import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import sharp from 'sharp';
import { areaTable, resampleWindow, type Window } from '../src/image/resample.js';
import { decodeGrey } from '../src/image/decode-image.js';
import { cropGrey, findTrimBox } from '../src/image/trim-borders.js';
import { rotateGrey } from '../src/image/rotate-grey.js';
import { blockHash } from '../src/image/phash.js';
import { hammingDistance } from '../src/image/hamming.js';
import { imageFingerprint, type ImageFingerprint } from '../src/image/image-fingerprint.js';
import { IMAGE_THRESHOLDS, type ImageDistances, type ImageThresholds, compareImages, imageDistances, isImageMatch } from '../src/image/compare-images.js';
import { mulberry32 } from '../test-support/prng.js';
import { IMAGE_TRANSFORMS, showingBackground } from '../test-support/image-transforms.js';
import { syntheticImage } from '../test-support/image-fixtures.js';

const args = process.argv.slice(2);
const opt = (name: string, dflt: number): number => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const dataDir = args.find((a, i) => !a.startsWith('--') && !(i > 0 && args[i - 1]!.startsWith('--'))) ?? process.env.FP_EVAL_DATA ?? '/work/shared/data/detect';
const sweep = args.includes('--sweep');
const nSynthetic = opt('--synthetic', 20);
const nDistractors = opt('--distractors', 313);
// Each copy gets its own seed, so a cached copy never shifts the others.
const seedOf = (s: string): number => [...s].reduce((h, c) => Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0, 2166136261);

// Same scene in several sizes or colourings: a match between them is right,
// so such pairs are left out of the negatives.
function family(name: string): string {
  return name
    .replace(/^mate-/, '')
    .replace(/_\d+x\d+/, '')
    .replace(/-(Dark|Light|Cold|Warm|Radioactive)/, '')
    .replace(/\.[a-z]+$/, '');
}

async function loadOriginals(): Promise<Array<{ name: string; data: Buffer }>> {
  const out: Array<{ name: string; data: Buffer }> = [];
  const dir = join(dataDir, 'images/originals');
  if (existsSync(dir)) {
    for (const f of readdirSync(dir).sort()) {
      // Registered copies are stored at up to 1600 px: keeps the evaluation fast.
      // Transparent wallpapers are flattened where their content shows best: black for light shapes, white for dark.
      const raw = readFileSync(join(dir, f));
      const data = await sharp(raw)
        .rotate()
        .flatten({ background: await showingBackground(raw) })
        .resize(1600, 1600, { fit: 'inside', withoutEnlargement: true })
        .png()
        .toBuffer();
      out.push({ name: f, data });
    }
  }
  for (let s = 0; s < nSynthetic; s++) out.push({ name: `synthetic-${s}`, data: await syntheticImage(1000 + s) });
  return out;
}

function loadDistractors(): Array<{ name: string; data: Buffer }> {
  const dir = join(dataDir, 'images/distractors');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .slice(0, nDistractors)
    .map((f) => ({ name: f, data: readFileSync(join(dir, f)) }));
}

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;

// ---------------------------------------------------------------- sweep ---

function grid(scale: number, n: number): Window[] {
  const out: Window[] = [];
  const step = n > 1 ? (1 - scale) / (n - 1) : 0;
  for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) out.push({ x: n > 1 ? i * step : (1 - scale) / 2, y: n > 1 ? j * step : (1 - scale) / 2, w: scale, h: scale });
  return out;
}

const WINDOW_SETS: Record<string, Window[]> = {
  s90g3: grid(0.9, 3),
  s80g3: grid(0.8, 3),
  s80g4: grid(0.8, 4),
  s70g3: grid(0.7, 3),
  c80: grid(0.8, 1),
  c70: grid(0.7, 1),
  c60: grid(0.6, 1),
};
// Centre windows of the image rotated by these angles (degrees).
const ROTATED: Record<string, { angles: number[]; window: Window }> = {
  r24c70: { angles: [-4, -2, 2, 4], window: grid(0.7, 1)[0]! },
  r24c60: { angles: [-4, -2, 2, 4], window: grid(0.6, 1)[0]! },
  r3c70: { angles: [-3, 3], window: grid(0.7, 1)[0]! },
};

interface Hashes {
  g: { h: string; m: string; c: number };
  sets: Record<string, Array<{ h: string; c: number }>>;
}

async function hashesOf(data: Buffer): Promise<Hashes> {
  const raw = await decodeGrey(data);
  const img = cropGrey(raw, findTrimBox(raw));
  const t = areaTable(img);
  const g = blockHash(resampleWindow(t, { x: 0, y: 0, w: 1, h: 1 }));
  const sets: Hashes['sets'] = {};
  for (const [k, ws] of Object.entries(WINDOW_SETS)) sets[k] = ws.map((w) => blockHash(resampleWindow(t, w))).map((b) => ({ h: b.hash, c: b.contrast }));
  for (const [k, r] of Object.entries(ROTATED))
    sets[k] = r.angles.map((a) => blockHash(resampleWindow(areaTable(rotateGrey(img, a)), r.window))).map((b) => ({ h: b.hash, c: b.contrast }));
  return { g: { h: g.hash, m: g.mirrored, c: g.contrast }, sets };
}

interface Strategy {
  name: string;
  /** Axis-aligned window sets (compared with the other image's global hash, and with each other when rvr). */
  windows: string[];
  /** Rotated centre windows, compared with the other image's 'c70' window. */
  rotated: string[];
  regionVsRegion: boolean;
  minContrast: number;
}

type Hash = { h: string; c: number };
const minD = (xs: Hash[], ys: Hash[]): number => {
  let d = 64;
  for (const x of xs) for (const y of ys) d = Math.min(d, hammingDistance(x.h, y.h));
  return d;
};

/** [global, global↔region, centre↔rotated centre, region↔region] distances for query q against registered r. */
function distances(q: Hashes, r: Hashes, s: Strategy): [number, number, number, number] {
  // A flat image's hash is noise: it matches nothing.
  if (q.g.c < s.minContrast || r.g.c < s.minContrast) return [64, 64, 64, 64];
  const dg = Math.min(hammingDistance(q.g.h, r.g.h), hammingDistance(q.g.m, r.g.h));
  const ok = (x: Hash): boolean => x.c >= s.minContrast;
  const qr = s.windows.flatMap((k) => q.sets[k]!).filter(ok);
  const rr = s.windows.flatMap((k) => r.sets[k]!).filter(ok);
  const qg: Hash[] = [{ h: q.g.h, c: q.g.c }];
  const rg: Hash[] = [{ h: r.g.h, c: r.g.c }];
  const dc = Math.min(minD(qg, rr), minD(qr, rg));
  let drot = 64;
  if (s.rotated.length) {
    const qc = q.sets.c70!.filter(ok);
    const rc = r.sets.c70!.filter(ok);
    const qrot = s.rotated.flatMap((k) => q.sets[k]!).filter(ok);
    const rrot = s.rotated.flatMap((k) => r.sets[k]!).filter(ok);
    drot = Math.min(minD(qc, rrot), minD(qrot, rc), minD(qc, rc));
  }
  const drr = s.regionVsRegion ? minD(qr, rr) : 64;
  return [dg, dc, drot, drr];
}

async function runSweep(originals: Array<{ name: string; data: Buffer }>, copies: Map<string, Buffer[]>, distractors: Array<{ name: string; data: Buffer }>): Promise<void> {
  const orig = await Promise.all(originals.map((o) => hashesOf(o.data)));
  const cop = new Map<string, Hashes[]>();
  for (const [t, list] of copies) cop.set(t, await Promise.all(list.map(hashesOf)));
  const dis = await Promise.all(distractors.map((d) => hashesOf(d.data)));
  const strategies: Strategy[] = [];
  const sets = [['s90g3', 's80g3'], ['s90g3', 's80g4'], ['s80g4'], ['s90g3', 's80g3', 's70g3']];
  for (const w of sets.filter((x) => !process.env.FP_SETS || process.env.FP_SETS.split(',').includes(x.join('+'))))
    for (const rot of [[], ['r24c70'], ['r3c70']])
      for (const rvr of [false, true])
        strategies.push({ name: `${w.join('+')}${rot.length ? `+${rot.join('+')}` : ''}${rvr ? ' rvr' : ''}`, windows: w, rotated: rot, regionVsRegion: rvr, minContrast: 2 });

  for (const s of strategies) {
    type D = [number, number, number, number];
    const pos: Array<[string, D]> = [];
    for (const [t, list] of cop) list.forEach((q, i) => pos.push([t, distances(q, orig[i]!, s)]));
    const neg: D[] = [];
    for (const [, list] of cop)
      list.forEach((q, i) => orig.forEach((r, j) => family(originals[j]!.name) !== family(originals[i]!.name) && neg.push(distances(q, r, s))));
    for (const q of dis) for (const r of orig) neg.push(distances(q, r, s));
    // Negatives can only be hurt by small distances: keep those.
    const hard = neg.filter((d) => d[0] <= 16 || d[1] <= 14 || d[2] <= 12 || d[3] <= 10);
    const hit = (d: D, t: D): boolean => d[0] <= t[0] || d[1] <= t[1] || d[2] <= t[2] || d[3] <= t[3];
    // Best thresholds keeping precision ≥ 0.99 on this mix.
    let best = { t: [0, -1, -1, -1] as D, recall: 0, fp: 0 };
    for (let tg = 6; tg <= 16; tg++)
      for (let tc = -1; tc <= 14; tc++)
        for (let tr = -1; tr <= (s.rotated.length ? 12 : -1); tr++)
          for (const trr of s.regionVsRegion ? [-1, 2, 4, 6, 8, 10] : [-1]) {
            const t: D = [tg, tc, tr, trr];
            const tp = pos.filter(([, d]) => hit(d, t)).length;
            if (tp / pos.length <= best.recall) continue;
            const fp = hard.filter((d) => hit(d, t)).length;
            if (fp > 0.0101 * tp) continue;
            best = { t, recall: tp / pos.length, fp };
          }
    const perT = [...cop.keys()].map((t) => {
      const p = pos.filter(([x]) => x === t);
      return `${t}:${pct(p.filter(([, d]) => hit(d, best.t)).length / p.length)}`;
    });
    console.log(`${s.name.padEnd(34)} T=${best.t.join('/')} recall ${pct(best.recall)} fp ${best.fp}/${neg.length} | ${perT.join(' ')}`);
  }
}

// ------------------------------------------------------------- shipped ---

async function runShipped(originals: Array<{ name: string; data: Buffer }>, copies: Map<string, Buffer[]>, distractors: Array<{ name: string; data: Buffer }>): Promise<void> {
  const orig: ImageFingerprint[] = [];
  for (const o of originals) orig.push(await imageFingerprint(o.data));
  // Pairs are kept as fingerprints: which region pair decides depends on the thresholds tried.
  const pos: Array<[string, string, ImageFingerprint, ImageFingerprint]> = [];
  const neg: Array<[string, ImageFingerprint, ImageFingerprint]> = [];
  for (const [t, list] of copies) {
    for (let i = 0; i < list.length; i++) {
      const q = await imageFingerprint(list[i]!);
      pos.push([t, originals[i]!.name, q, orig[i]!]);
      for (let j = 0; j < orig.length; j++) {
        if (family(originals[j]!.name) !== family(originals[i]!.name)) neg.push([`${t} of ${originals[i]!.name} ~ ${originals[j]!.name}`, q, orig[j]!]);
      }
    }
  }
  for (const d of distractors) {
    const q = await imageFingerprint(d.data);
    orig.forEach((r, j) => neg.push([`distractor ${basename(d.name)} ~ ${originals[j]!.name}`, q, r]));
  }
  const matchesWith = (a: ImageFingerprint, b: ImageFingerprint, t: ImageThresholds): boolean => isImageMatch(compareImages(a, b, t), t);

  // pHash distances are even: odd thresholds add nothing.
  const grid: ImageThresholds[] = [];
  for (const g of [10, 12, 14]) for (const r of [10, 12, 14]) for (const tight of [8, 10, 12]) grid.push({ ...IMAGE_THRESHOLDS, global: g, region: r, tight });
  console.log('\nthreshold grid (global/region/tight): recall, false positives');
  for (const t of grid) {
    const tp = pos.filter(([, , q, r]) => matchesWith(q, r, t)).length;
    const fp = neg.filter(([, q, r]) => matchesWith(q, r, t)).length;
    console.log(`  ${t.global}/${t.region}/${t.tight}: recall ${pct(tp / pos.length)} fp ${fp} precision ${pct(tp / Math.max(1, tp + fp))}`);
  }

  const t = IMAGE_THRESHOLDS;
  const matches = (d: ImageDistances): boolean => d.global <= t.global || d.mirror <= t.global || (d.regionPair !== undefined && d.region <= d.regionPair.threshold);
  const method = (d: ImageDistances): string => (d.global <= t.global ? 'global' : d.mirror <= t.global ? 'mirror' : 'region');
  const posD = pos.map(([tr, n, q, r]) => [tr, n, imageDistances(q, r, t)] as const);
  const negD = neg.map(([n, q, r]) => [n, imageDistances(q, r, t)] as const);
  console.log(`\nshipped thresholds: global/mirror ≤ ${t.global}, whole↔80% windows ≤ ${t.region}, other regions ≤ ${t.tight}`);
  console.log('| transformation | pairs | recall | median best distance | matched by global/mirror/region |');
  console.log('|---|---|---|---|---|');
  for (const tr of copies.keys()) {
    const rows = posD.filter(([x]) => x === tr);
    const hits = rows.filter(([, , d]) => matches(d));
    const best = rows.map(([, , d]) => Math.min(d.global, d.mirror, d.region)).sort((x, y) => x - y);
    const by = { global: 0, mirror: 0, region: 0 } as Record<string, number>;
    for (const [, , d] of hits) by[method(d)]!++;
    console.log(`| ${tr} | ${rows.length} | ${pct(hits.length / rows.length)} | ${best[best.length >> 1]} | ${by.global}/${by.mirror}/${by.region} |`);
    if (process.env.FP_VERBOSE) for (const [, n, d] of rows) if (!matches(d)) console.log(`    miss ${n} g=${d.global} m=${d.mirror} r=${d.region}`);
  }
  const tp = posD.filter(([, , d]) => matches(d)).length;
  const fps = negD.filter(([, d]) => matches(d));
  for (const [n, d] of fps) console.log(`  false match: ${n} g=${d.global} m=${d.mirror} r=${d.region}`);
  console.log(
    `\npositives ${pos.length}: recall ${pct(tp / pos.length)}; negatives ${neg.length}: false positives ${fps.length} ` +
      `(FPR ${((100 * fps.length) / neg.length).toFixed(4)}%); precision on this mix ${pct(tp / Math.max(1, tp + fps.length))}`,
  );
  // What an index lookup that only finds hashes within distance D (see hash-chunks.ts) would keep.
  for (const bound of [3, 7, 11]) {
    const kept = posD.filter(([, , d]) => matches(d) && Math.min(d.global, d.mirror, d.region) <= bound).length;
    console.log(`index lookup bound d ≤ ${bound}: keeps ${pct(kept / pos.length)} of positives`);
  }
  // Check compareImages/isImageMatch agree with the distances used above.
  const sample = await imageFingerprint(copies.values().next().value![0]!);
  if (isImageMatch(compareImages(sample, orig[0]!)) !== matches(imageDistances(sample, orig[0]!, t))) throw new Error('compareImages disagrees');
}

const originals = await loadOriginals();
const distractors = loadDistractors();
console.log(`${originals.length} originals (${nSynthetic} synthetic), ${distractors.length} distractors, ${Object.keys(IMAGE_TRANSFORMS).length} transformations`);
const copies = new Map<string, Buffer[]>();
// Copies are cached between runs (they depend only on the seed and inputs).
const cacheDir = join(tmpdir(), 'fp-eval-cache');
for (const [t, f] of Object.entries(IMAGE_TRANSFORMS)) {
  const list: Buffer[] = [];
  const dir = join(cacheDir, t.replace(/[^a-z0-9]+/gi, '_'));
  mkdirSync(dir, { recursive: true });
  for (const o of originals) {
    const file = join(dir, `${o.name}.jpg`);
    if (!existsSync(file)) writeFileSync(file, await f(o.data, mulberry32(seedOf(`${t}/${o.name}`))));
    list.push(readFileSync(file));
  }
  copies.set(t, list);
}
if (sweep) await runSweep(originals, copies, distractors);
else await runShipped(originals, copies, distractors);
