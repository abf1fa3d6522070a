// The image fingerprint stored per registered work: a global pHash (also of
// the mirror image) plus region hashes that survive crops and small
// rotations, where a single global hash fails.
//
// Region layout (fixed, so positions mean the same in every fingerprint):
//   0..15   4×4 grid of windows 90% of the width and height (crops ≤ 10%)
//   16..40  5×5 grid of windows 80% of the width and height (crops ≤ 20%)
//   41      centre window, 70%
//   42..45  centre window, 70%, of the image rotated by −4°, −2°, +2°, +4°
// A crop of the original is close to one grid window of the original
// (matched against the crop's global hash), and an original is close to a
// grid window of a copy with something added around it (the reverse). A copy
// rotated by up to 5° is within 1° of one of the rotated centre windows,
// which the pHash tolerates; the centre window keeps the uncovered canvas
// corners of a rotation out of the hash.
//
// Chosen by measurement (eval/eval-images.ts --sweep, README): a pHash moves
// by ~4 bits per 1% of misalignment, so the grid step decides crop recall.
// 20% crops within distance 12 of a grid window: 3×3 80% grid 56%, 4×4 78%,
// 5×5 93% (6×6 no better); 10% crops: 3×3 90% grid 89%, 4×4 93%. No extra
// false match within 12 on the evaluation set. An extra 70% grid lowered
// overall recall at the same precision; comparing every region with every
// region gained under 1%; without the rotated windows 5° rotations were
// found 41% of the time, with them 95-97%.

import { decodeGrey, type GreyImage } from './decode-image.js';
import { type BlockHash, blockHash } from './phash.js';
import { type AreaTable, type Window, areaTable, resampleWindow } from './resample.js';
import { rotateGrey } from './rotate-grey.js';
import { cropGrey, findTrimBox } from './trim-borders.js';

export interface ImageFingerprint {
  /** pHash of the whole (border-trimmed) image, 16 hex digits. */
  global: string;
  /** pHash of the image mirrored left-right. */
  mirrored: string;
  /** Region hashes in REGION_LAYOUT order; '' where the region is too flat to hash. */
  regions: string[];
  /** Displayed size of the decoded image (after EXIF orientation), in pixels. */
  width: number;
  height: number;
  /** The whole image is (nearly) one colour: its hashes carry no information and match nothing. */
  flat: boolean;
  /**
   * Each hash's least reliable bit positions (BlockHash.weak), which an index
   * lookup flips (multiProbeKeys). Kept with a scanned work's or sighting's
   * fingerprint (~3.5 KB of JSON), not in the index; absent in fingerprints
   * read back from the index and in those made before it existed, whose
   * lookups then probe exact chunks (and radius 1 for 80% windows) only.
   */
  weak?: { global: number[]; mirrored: number[]; regions: number[][] };
}

export type RegionKind = 'grid' | 'centre' | 'rotated';

export interface RegionSpec extends Window {
  kind: RegionKind;
  /** Degrees the image is rotated by before the window is taken (rotated regions only). */
  angle: number;
}

function grid(scale: number, n: number): RegionSpec[] {
  const out: RegionSpec[] = [];
  const step = (1 - scale) / (n - 1);
  for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) out.push({ kind: 'grid', x: i * step, y: j * step, w: scale, h: scale, angle: 0 });
  return out;
}

const CENTRE: Window = { x: 0.15, y: 0.15, w: 0.7, h: 0.7 };
export const ROTATION_ANGLES: readonly number[] = [-4, -2, 2, 4];

export const REGION_LAYOUT: readonly RegionSpec[] = [
  ...grid(0.9, 4),
  ...grid(0.8, 5),
  { kind: 'centre', ...CENTRE, angle: 0 },
  ...ROTATION_ANGLES.map((angle): RegionSpec => ({ kind: 'rotated', ...CENTRE, angle })),
];

/** REGION_LAYOUT slots by kind. */
export const GRID_REGIONS = REGION_LAYOUT.flatMap((r, i) => (r.kind === 'grid' ? [i] : []));
/** The 80% grid windows (20% crops): held to a looser threshold, and indexed in a key space of their own. */
export const GRID80_REGIONS = GRID_REGIONS.filter((i) => REGION_LAYOUT[i]!.w <= 0.8 + 1e-9);
export const CENTRE_REGION = REGION_LAYOUT.findIndex((r) => r.kind === 'centre');
/** Each grid slot's neighbours: the windows of the same grid one step left, right, above and below. */
export const GRID_NEIGHBOURS: ReadonlyMap<number, readonly number[]> = new Map(
  GRID_REGIONS.map((i) => {
    const r = REGION_LAYOUT[i]!;
    const same = GRID_REGIONS.filter((j) => REGION_LAYOUT[j]!.w === r.w);
    const step = (1 - r.w) / (Math.sqrt(same.length) - 1);
    return [i, same.filter((j) => Math.abs(Math.abs(REGION_LAYOUT[j]!.x - r.x) + Math.abs(REGION_LAYOUT[j]!.y - r.y) - step) < 1e-9)];
  }),
);
export const ROTATED_REGIONS = REGION_LAYOUT.flatMap((r, i) => (r.kind === 'rotated' ? [i] : []));

/**
 * Grey-level standard deviation (0..255) below which a block is treated as
 * flat: its hash would be decided by noise and JPEG artefacts.
 */
export const MIN_CONTRAST = 2;

/** Halves a raster by 2×2 averaging (rotation runs on ≤ 256 px: 4× cheaper, same hash). */
function halve(img: GreyImage): GreyImage {
  const w = img.width >> 1;
  const h = img.height >> 1;
  const data = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = 2 * y * img.width + 2 * x;
      data[y * w + x] = (img.data[i]! + img.data[i + 1]! + img.data[i + img.width]! + img.data[i + img.width + 1]! + 2) >> 2;
    }
  }
  return { ...img, data, width: w, height: h };
}

/** A block's hash, or '' when the block is too flat for its hash to mean anything. */
export const usableHash = (b: BlockHash): string => (b.contrast >= MIN_CONTRAST ? b.hash : '');

/** The raster that rotated windows are taken from: at most ~256 px (4× cheaper, same hashes). */
export const rotationRaster = (img: GreyImage): GreyImage => (img.width > 256 || img.height > 256 ? halve(img) : img);

/** The four quadrants of a window (top-left, top-right, bottom-left, bottom-right). */
export function quadrants(w: Window): Window[] {
  const hw = w.w / 2;
  const hh = w.h / 2;
  return [
    { x: w.x, y: w.y, w: hw, h: hh },
    { x: w.x + hw, y: w.y, w: hw, h: hh },
    { x: w.x, y: w.y + hh, w: hw, h: hh },
    { x: w.x + hw, y: w.y + hh, w: hw, h: hh },
  ];
}

/** A decoded, border-trimmed raster (what every hash is taken from) and its summed-area table. */
export interface PreparedImage {
  raw: GreyImage;
  img: GreyImage;
  table: AreaTable;
}

export async function prepareImage(input: Buffer): Promise<PreparedImage> {
  const raw = await decodeGrey(input);
  const img = cropGrey(raw, findTrimBox(raw));
  return { raw, img, table: areaTable(img) };
}

/** Fingerprints an encoded image (JPEG, PNG, WebP, GIF, TIFF, AVIF, HEIF, SVG: whatever sharp decodes). */
export async function imageFingerprint(input: Buffer): Promise<ImageFingerprint> {
  return fingerprintOf(await prepareImage(input));
}

export function fingerprintOf({ raw, img, table }: PreparedImage): ImageFingerprint {
  const whole = blockHash(resampleWindow(table, { x: 0, y: 0, w: 1, h: 1 }));
  const small = rotationRaster(img);
  const blocks = REGION_LAYOUT.map((r) => (r.kind === 'rotated' ? blockHash(resampleWindow(areaTable(rotateGrey(small, r.angle)), r)) : blockHash(resampleWindow(table, r))));
  const regions = blocks.map(usableHash);
  return {
    global: whole.hash,
    mirrored: whole.mirrored,
    regions,
    width: raw.originalWidth,
    height: raw.originalHeight,
    flat: whole.contrast < MIN_CONTRAST,
    weak: { global: whole.weak, mirrored: whole.mirroredWeak, regions: blocks.map((b) => b.weak) },
  };
}
