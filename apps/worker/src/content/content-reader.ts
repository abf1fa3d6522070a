// Reads a stored work or suspect copy from the content store and decides what
// can be fingerprinted: an image (whatever sharp decodes), or text (plain
// UTF-8/UTF-16, .docx through mammoth, .pdf through pdf.js). The file's own
// bytes decide (magic numbers), not the declared media type, which the
// uploader chose. Anything else (audio, video, archives, binaries) is
// unsupported and can then only be matched by its exact SHA-256.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { BlobStore } from '#blob-store';

export type ReadContent =
  | { kind: 'image'; bytes: Buffer }
  | { kind: 'text'; text: string; extractor: 'plain' | 'docx' | 'pdf'; truncated: boolean }
  | { kind: 'unsupported'; reason: string };

/** Files above this are not fingerprinted (they would be read into memory). */
export const MAX_FINGERPRINT_BYTES = 64 * 1024 * 1024;
/** Extracted text beyond this many UTF-16 units is not fingerprinted (noted in the fingerprint). */
export const MAX_TEXT_CHARS = 2_000_000;

const require = createRequire(import.meta.url);
const PDFJS_DIR = path.dirname(require.resolve('pdfjs-dist/package.json'));

function startsWith(bytes: Buffer, ...sig: number[]): boolean {
  return sig.every((b, i) => bytes[i] === b);
}

function isImage(b: Buffer): boolean {
  return (
    startsWith(b, 0xff, 0xd8, 0xff) || // JPEG
    startsWith(b, 0x89, 0x50, 0x4e, 0x47) || // PNG
    startsWith(b, 0x47, 0x49, 0x46, 0x38) || // GIF
    (startsWith(b, 0x52, 0x49, 0x46, 0x46) && b.subarray(8, 12).toString('latin1') === 'WEBP') ||
    startsWith(b, 0x49, 0x49, 0x2a, 0x00) || // TIFF (little-endian)
    startsWith(b, 0x4d, 0x4d, 0x00, 0x2a) || // TIFF (big-endian)
    (b.subarray(4, 8).toString('latin1') === 'ftyp' && /^(avif|avis|heic|heix|mif1)$/.test(b.subarray(8, 12).toString('latin1')))
  );
}

function decodeText(bytes: Buffer): string | undefined {
  if (startsWith(bytes, 0xff, 0xfe)) return bytes.subarray(2).toString('utf16le');
  if (startsWith(bytes, 0xfe, 0xff)) {
    const swapped = Buffer.from(bytes.subarray(2));
    swapped.swap16();
    return swapped.toString('utf16le');
  }
  const body = startsWith(bytes, 0xef, 0xbb, 0xbf) ? bytes.subarray(3) : bytes;
  if (body.includes(0)) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    return undefined;
  }
}

async function docxText(bytes: Buffer): Promise<string | undefined> {
  const mammoth = (await import('mammoth')).default;
  try {
    return (await mammoth.extractRawText({ buffer: bytes })).value;
  } catch {
    return undefined; // a zip that is not a Word document
  }
}

async function pdfText(bytes: Buffer): Promise<string> {
  const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await getDocument({
    data: new Uint8Array(bytes),
    cMapUrl: `${path.join(PDFJS_DIR, 'cmaps')}/`,
    cMapPacked: true,
    standardFontDataUrl: `${path.join(PDFJS_DIR, 'standard_fonts')}/`,
    isEvalSupported: false,
    useSystemFonts: false,
    verbosity: 0,
  }).promise;
  try {
    const pages: string[] = [];
    let chars = 0;
    for (let i = 1; i <= doc.numPages && chars <= MAX_TEXT_CHARS; i++) {
      const page = await doc.getPage(i);
      const content = await page.getTextContent();
      let text = '';
      for (const item of content.items) {
        if ('str' in item) text += item.str + (item.hasEOL ? '\n' : '');
      }
      pages.push(text);
      chars += text.length;
      page.cleanup();
    }
    return pages.join('\n\n');
  } finally {
    await doc.destroy();
  }
}

function text(value: string, extractor: 'plain' | 'docx' | 'pdf'): ReadContent {
  const truncated = value.length > MAX_TEXT_CHARS;
  return { kind: 'text', text: truncated ? value.slice(0, MAX_TEXT_CHARS) : value, extractor, truncated };
}

/** Classifies and extracts bytes already in memory. */
export async function readContentBytes(bytes: Buffer): Promise<ReadContent> {
  if (bytes.length === 0) return { kind: 'unsupported', reason: 'empty file' };
  if (isImage(bytes)) return { kind: 'image', bytes };
  if (startsWith(bytes, 0x25, 0x50, 0x44, 0x46, 0x2d)) {
    try {
      const extracted = await pdfText(bytes);
      if (!extracted.trim()) return { kind: 'unsupported', reason: 'PDF without extractable text (scanned pages?)' };
      return text(extracted, 'pdf');
    } catch (error) {
      return { kind: 'unsupported', reason: `PDF could not be read: ${(error as Error).message.slice(0, 200)}` };
    }
  }
  if (startsWith(bytes, 0x50, 0x4b, 0x03, 0x04)) {
    const extracted = await docxText(bytes);
    if (extracted === undefined) return { kind: 'unsupported', reason: 'ZIP archive that is not a Word (.docx) document' };
    if (!extracted.trim()) return { kind: 'unsupported', reason: 'Word document without text' };
    return text(extracted, 'docx');
  }
  const decoded = decodeText(bytes);
  if (decoded !== undefined) {
    if (!decoded.trim()) return { kind: 'unsupported', reason: 'text file with no text' };
    return text(decoded, 'plain');
  }
  return { kind: 'unsupported', reason: 'not an image, text, .docx or .pdf file (audio and video are matched by exact SHA-256 only)' };
}

/** Reads a blob by SHA-256; undefined when the store does not hold it. */
export async function readStoredContent(blobs: BlobStore, sha256: string): Promise<ReadContent | undefined> {
  if (!blobs.has(sha256)) return undefined;
  const file = blobs.pathOf(sha256);
  const { size } = await fs.promises.stat(file);
  if (size > MAX_FINGERPRINT_BYTES) return { kind: 'unsupported', reason: `file of ${size} bytes is above the fingerprinting limit of ${MAX_FINGERPRINT_BYTES}` };
  return readContentBytes(await fs.promises.readFile(file));
}
