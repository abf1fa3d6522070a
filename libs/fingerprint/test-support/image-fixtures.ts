// Synthetic test images made with sharp from a seed: a gradient background,
// random shapes and pixel noise, so each seed gives a distinct "photo" with
// structure at several scales (like real images, unlike pure noise).

import sharp from 'sharp';
import { type Rng, mulberry32, randInt } from './prng.js';

const colour = (r: Rng): string => `rgb(${randInt(r, 256)},${randInt(r, 256)},${randInt(r, 256)})`;

function shapes(r: Rng, width: number, height: number): string {
  const out: string[] = [];
  const n = 8 + randInt(r, 10);
  for (let i = 0; i < n; i++) {
    const fill = colour(r);
    const opacity = (0.5 + r() * 0.5).toFixed(2);
    const x = randInt(r, width);
    const y = randInt(r, height);
    const size = (0.05 + r() * 0.35) * Math.min(width, height);
    switch (randInt(r, 4)) {
      case 0:
        out.push(`<circle cx="${x}" cy="${y}" r="${size.toFixed(1)}" fill="${fill}" fill-opacity="${opacity}"/>`);
        break;
      case 1:
        out.push(`<rect x="${x}" y="${y}" width="${(size * 1.5).toFixed(1)}" height="${size.toFixed(1)}" fill="${fill}" fill-opacity="${opacity}" transform="rotate(${randInt(r, 90)} ${x} ${y})"/>`);
        break;
      case 2:
        out.push(`<ellipse cx="${x}" cy="${y}" rx="${size.toFixed(1)}" ry="${(size / 2).toFixed(1)}" fill="${fill}" fill-opacity="${opacity}"/>`);
        break;
      default: {
        const pts = Array.from({ length: 3 + randInt(r, 3) }, () => `${randInt(r, width)},${randInt(r, height)}`).join(' ');
        out.push(`<polygon points="${pts}" fill="${fill}" fill-opacity="${opacity}"/>`);
      }
    }
  }
  return out.join('');
}

/** A synthetic PNG (default 480×360) fully determined by `seed`. */
export async function syntheticImage(seed: number, width = 480, height = 360): Promise<Buffer> {
  const r = mulberry32(seed);
  const angle = randInt(r, 360);
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">` +
    `<defs><linearGradient id="g" gradientTransform="rotate(${angle} 0.5 0.5)"><stop offset="0" stop-color="${colour(r)}"/><stop offset="1" stop-color="${colour(r)}"/></linearGradient></defs>` +
    `<rect width="${width}" height="${height}" fill="url(#g)"/>${shapes(r, width, height)}</svg>`;
  const { data, info } = await sharp(Buffer.from(svg)).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  // Mild noise: real photos are never perfectly smooth.
  for (let i = 0; i < data.length; i++) data[i] = Math.max(0, Math.min(255, data[i]! + randInt(r, 17) - 8));
  return sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } }).png().toBuffer();
}

/** A 64-bit hash (16 hex digits) determined by `seed`, for fingerprints made by hand: distinct seeds give unrelated-looking hashes. */
export const seededHash = (seed: number): string => ((BigInt(seed) * 0x9e3779b97f4a7c15n) & 0xffffffffffffffffn).toString(16).padStart(16, '0');
