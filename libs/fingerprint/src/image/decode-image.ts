// Decodes an image Buffer with sharp into the small greyscale raster that
// every perceptual hash is computed from.
//
// Steps (why):
// 1. Apply the EXIF orientation: a phone photo and its re-saved copy must
//    hash alike whether the rotation is in the pixels or in a tag.
// 2. Flatten transparency onto white, the background most viewers and
//    exporters use, so a transparent PNG and a JPEG made from it agree.
//    Some images carry their content in the alpha channel alone (white
//    shapes on transparency, meant to be laid over a desktop colour); on
//    white they vanish, so when the result is flat they go onto black.
// 3. Greyscale (colour changes and greyscale conversion become no-ops) and
//    shrink to fit 512×512: big enough that a 60% window still averages
//    several pixels per cell of a 32×32 hash block and borders are found
//    to within a few pixels, small enough to be cheap (JPEGs shrink on load,
//    so a 1 MB photo decodes in a few milliseconds).
// Uniform borders are then trimmed on this raster by trim-borders.ts.

import sharp, { type OutputInfo } from 'sharp';

/** Longest side of the working raster. */
export const WORK_SIZE = 512;
/** Refuse decompression bombs: 100 megapixels is far above any camera. */
const MAX_PIXELS = 100_000_000;

export interface GreyImage {
  /** Working raster, row-major grey levels 0..255. */
  data: Uint8Array;
  width: number;
  height: number;
  /** Displayed size of the original image (after EXIF orientation). */
  originalWidth: number;
  originalHeight: number;
}

async function rasterise(input: Buffer, background: string): Promise<{ data: Buffer; info: OutputInfo }> {
  return sharp(input, { failOn: 'none', limitInputPixels: MAX_PIXELS })
    .rotate()
    .flatten({ background })
    .greyscale()
    .resize(WORK_SIZE, WORK_SIZE, { fit: 'inside' })
    .raw()
    .toBuffer({ resolveWithObject: true });
}

function spread(data: Uint8Array): number {
  let sum = 0;
  let sq = 0;
  for (const v of data) {
    sum += v;
    sq += v * v;
  }
  const mean = sum / Math.max(1, data.length);
  return Math.sqrt(Math.max(0, sq / Math.max(1, data.length) - mean * mean));
}

function firstChannel(data: Buffer, info: OutputInfo): Uint8Array {
  const grey = new Uint8Array(info.width * info.height);
  // Normally one channel; take the first if libvips kept more.
  for (let i = 0, p = 0; i < grey.length; i++, p += info.channels) grey[i] = data[p]!;
  return grey;
}

/** Decodes, orients, flattens and shrinks `input` to a greyscale raster (untrimmed). */
export async function decodeGrey(input: Buffer): Promise<GreyImage> {
  const meta = await sharp(input, { failOn: 'none', limitInputPixels: MAX_PIXELS }).metadata();
  const originalWidth = meta.autoOrient?.width ?? meta.width ?? 0;
  const originalHeight = meta.autoOrient?.height ?? meta.height ?? 0;
  let { data, info } = await rasterise(input, '#ffffff');
  let grey = firstChannel(data, info);
  if (meta.hasAlpha && spread(grey) < 2) {
    ({ data, info } = await rasterise(input, '#000000'));
    grey = firstChannel(data, info);
  }
  return { data: grey, width: info.width, height: info.height, originalWidth, originalHeight };
}
