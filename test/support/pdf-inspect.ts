// Just enough PDF reading for tests, without a PDF library: inflate the
// streams, read the ToUnicode maps of embedded fonts, and list font names.
import zlib from 'node:zlib';

export function pdfStreams(pdf: Buffer): Buffer[] {
  const streams: Buffer[] = [];
  let at = 0;
  for (;;) {
    const found = pdf.indexOf('stream', at);
    if (found < 0) return streams;
    if (pdf.subarray(found - 3, found).toString('latin1') === 'end') {
      at = found + 6;
      continue;
    }
    let start = found + 6;
    if (pdf[start] === 0x0d) start++;
    if (pdf[start] === 0x0a) start++;
    const end = pdf.indexOf('endstream', start);
    const raw = pdf.subarray(start, end);
    try {
      streams.push(zlib.inflateSync(raw));
    } catch {
      streams.push(raw);
    }
    at = end + 9;
  }
}

/** Every (glyph id -> text) pair of every ToUnicode CMap in the document. */
export function toUnicodeEntries(pdf: Buffer): Array<{ glyph: number; text: string }> {
  const entries: Array<{ glyph: number; text: string }> = [];
  for (const stream of pdfStreams(pdf)) {
    const text = stream.toString('latin1');
    if (!text.includes('begincmap')) continue;
    for (const block of text.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
      for (const [, glyph, unicode] of block[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>/g)) entries.push({ glyph: parseInt(glyph!, 16), text: decodeUtf16(unicode!) });
    }
    for (const block of text.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
      for (const [, lo, hi, rest] of block[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(\[[^\]]*\]|<[0-9a-fA-F]+>)/g)) {
        const first = parseInt(lo!, 16);
        const last = parseInt(hi!, 16);
        if (rest!.startsWith('[')) {
          [...rest!.matchAll(/<([0-9a-fA-F]+)>/g)].forEach(([, unicode], i) => entries.push({ glyph: first + i, text: decodeUtf16(unicode!) }));
        } else {
          const base = parseInt(rest!.slice(1, -1), 16);
          for (let g = first; g <= last; g++) entries.push({ glyph: g, text: String.fromCodePoint(base + g - first) });
        }
      }
    }
  }
  return entries;
}

function decodeUtf16(hex: string): string {
  const units = (hex.match(/.{4}/g) ?? []).map((h) => parseInt(h, 16));
  return String.fromCharCode(...units);
}

export function fontNames(pdf: Buffer): string[] {
  return [...pdf.toString('latin1').matchAll(/\/BaseFont\s*\/([^\s/>]+)/g)].map((m) => m[1]!);
}
