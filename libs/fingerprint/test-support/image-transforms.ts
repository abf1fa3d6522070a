// Copies an infringer might make of an image, for tests and the image
// evaluation. Every transform returns a new encoded image (JPEG quality 90
// unless the transform is about JPEG quality), like a copy found online.

import sharp, { type Sharp } from 'sharp';
import { type Rng } from './prng.js';

export type ImageTransform = (input: Buffer, rng: Rng) => Promise<Buffer>;

// JPEG has no alpha: transparent areas go white, as most export tools do.
const jpeg = (img: Sharp, quality = 90): Promise<Buffer> => img.flatten({ background: '#ffffff' }).jpeg({ quality }).toBuffer();

async function size(input: Buffer): Promise<{ width: number; height: number }> {
  const m = await sharp(input).metadata();
  return { width: m.autoOrient?.width ?? m.width!, height: m.autoOrient?.height ?? m.height! };
}

/**
 * Cuts `fraction` of the width and of the height away, split at random
 * between the two opposite sides (crop 0.2 keeps 80% × 80% of the image).
 */
export function cropTransform(fraction: number): ImageTransform {
  return async (input, rng) => {
    const { width, height } = await size(input);
    const cutW = Math.round(width * fraction);
    const cutH = Math.round(height * fraction);
    const left = Math.round(cutW * rng());
    const top = Math.round(cutH * rng());
    return jpeg(sharp(input).extract({ left, top, width: width - cutW, height: height - cutH }));
  };
}

/** Rotates by ±`degrees` (sign at random); the enlarged canvas corners are filled black or white. */
export function rotateTransform(degrees: number): ImageTransform {
  return async (input, rng) => {
    const angle = rng() < 0.5 ? -degrees : degrees;
    const background = rng() < 0.5 ? '#000000' : '#ffffff';
    return jpeg(sharp(input).rotate(angle, { background }));
  };
}

/** Text and a translucent banner over the lower part, ~8% of the height. */
export const textOverlay: ImageTransform = async (input, rng) => {
  const { width, height } = await size(input);
  const bannerH = Math.max(12, Math.round(height * 0.08));
  const y = Math.round(height * (0.75 + rng() * 0.15));
  const fontSize = Math.round(bannerH * 0.7);
  const svg = Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">` +
      `<rect x="0" y="${y}" width="${width}" height="${bannerH}" fill="black" fill-opacity="0.35"/>` +
      `<text x="${Math.round(width * 0.05)}" y="${y + Math.round(bannerH * 0.78)}" font-family="sans-serif" font-size="${fontSize}" fill="white">© example.com — all rights reserved</text></svg>`,
  );
  return jpeg(sharp(input).composite([{ input: svg, top: 0, left: 0 }]));
};

export const IMAGE_TRANSFORMS: Readonly<Record<string, ImageTransform>> = {
  'resize 50%': async (input) => {
    const { width } = await size(input);
    return jpeg(sharp(input).resize(Math.max(1, Math.round(width / 2))));
  },
  'JPEG q50': async (input) => jpeg(sharp(input), 50),
  'brightness +30%': async (input) => jpeg(sharp(input).modulate({ brightness: 1.3 })),
  'contrast +30%': async (input) => jpeg(sharp(input).linear(1.3, -0.3 * 128)),
  greyscale: async (input) => jpeg(sharp(input).greyscale()),
  'text overlay': textOverlay,
  'crop 10%': cropTransform(0.1),
  'crop 20%': cropTransform(0.2),
  'border 10%': async (input, rng) => {
    const { width, height } = await size(input);
    const bw = Math.round(width * 0.1);
    const bh = Math.round(height * 0.1);
    const background = rng() < 0.5 ? '#ffffff' : rng() < 0.5 ? '#000000' : '#3a6ea5';
    return jpeg(sharp(input).extend({ top: bh, bottom: bh, left: bw, right: bw, background }));
  },
  mirror: async (input) => jpeg(sharp(input).flop()),
  'rotate 3°': rotateTransform(3),
  'rotate 5°': rotateTransform(5),
};

/**
 * The background (black or white) on which a transparent image's grey levels
 * spread most, i.e. where its content shows: black for light shapes, white
 * for dark ones. The evaluation and bench:detect flatten originals onto it.
 */
export async function showingBackground(input: Buffer): Promise<string> {
  // stats() reads its input, not the pipeline: flatten into a buffer first.
  const spread = async (background: string) => (await sharp(await sharp(input).flatten({ background }).greyscale().png().toBuffer()).stats()).channels[0]!.stdev;
  return (await spread('#ffffff')) > (await spread('#000000')) ? '#ffffff' : '#000000';
}
