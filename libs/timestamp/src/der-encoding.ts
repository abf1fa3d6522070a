// DER building blocks for the time-stamp library: TLV framing, leaf encoders,
// a strict parser entry point and a DER framing check.
//
// Why framing by hand: a token embeds the same pre-encoded pieces every time
// (the TSA certificate, its issuer name, the ESS attribute). Re-encoding those
// through asn1js object trees costs ~5x the ECDSA signature itself, so the
// issuer splices cached DER bytes into TLV frames. The leaf values of every
// token (integers, times) are written here too: through asn1js they were a
// quarter of a token's cost. OIDs are written by asn1js, once each,
// and decoding goes through asn1js/pkijs; the framing check only validates
// tags and lengths. der-encoding.spec checks the leaves against asn1js.
import * as asn1js from 'asn1js';

export const TAG = {
  boolean: 0x01,
  integer: 0x02,
  bitString: 0x03,
  octetString: 0x04,
  null: 0x05,
  oid: 0x06,
  utf8String: 0x0c,
  sequence: 0x30,
  set: 0x31,
} as const;

export function toBytes(buffer: ArrayBuffer | ArrayBufferView): Uint8Array {
  if (buffer instanceof Uint8Array) return buffer;
  if (ArrayBuffer.isView(buffer)) return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  return new Uint8Array(buffer);
}

/** Copies into a fresh ArrayBuffer: pkijs/asn1js APIs want ArrayBuffer, not views over pooled Buffers. */
export function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return copy.buffer;
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const p of parts) total += p.length;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i] !== b[i]) return a[i]! - b[i]!;
  }
  return a.length - b.length;
}

function lengthOctets(length: number): Uint8Array {
  if (length < 0x80) return Uint8Array.of(length);
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff);
  return Uint8Array.of(0x80 | bytes.length, ...bytes);
}

/** One TLV with a single-byte identifier (every tag this library writes is < 31). */
export function tlv(tag: number, ...contents: Uint8Array[]): Uint8Array {
  const body = contents.length === 1 ? contents[0]! : concatBytes(contents);
  const len = lengthOctets(body.length);
  const out = new Uint8Array(1 + len.length + body.length);
  out[0] = tag;
  out.set(len, 1);
  out.set(body, 1 + len.length);
  return out;
}

export const sequence = (...contents: Uint8Array[]): Uint8Array => tlv(TAG.sequence, ...contents);

/** SET OF in DER: members sorted by their encodings (X.690 11.6). */
export function setOf(members: readonly Uint8Array[]): Uint8Array {
  return tlv(TAG.set, ...[...members].sort(compareBytes));
}

/** [n] with the constructed bit: EXPLICIT tagging, or IMPLICIT over a constructed type. */
export const contextConstructed = (tagNumber: number, ...contents: Uint8Array[]): Uint8Array =>
  tlv(0xa0 | tagNumber, ...contents);

export const octetString = (bytes: Uint8Array): Uint8Array => tlv(TAG.octetString, bytes);

export const DER_NULL = Uint8Array.of(TAG.null, 0x00);

/** INTEGER: minimal big-endian two's complement (X.690 8.3). */
export function integer(value: bigint | number): Uint8Array {
  let n = BigInt(value);
  const bytes: number[] = [];
  if (n >= 0n) {
    do {
      bytes.push(Number(n & 0xffn));
      n >>= 8n;
    } while (n > 0n);
    if (bytes[bytes.length - 1]! & 0x80) bytes.push(0x00);
  } else {
    do {
      bytes.push(Number(n & 0xffn));
      n >>= 8n; // arithmetic: ends at -1
    } while (n < -1n);
    if (!(bytes[bytes.length - 1]! & 0x80)) bytes.push(0xff);
  }
  return tlv(TAG.integer, Uint8Array.from(bytes.reverse()));
}

const oidCache = new Map<string, Uint8Array>();

/** OBJECT IDENTIFIER, encoded once per OID (a token names a few, every time). */
export function oid(dotted: string): Uint8Array {
  let encoded = oidCache.get(dotted);
  if (!encoded) {
    encoded = toBytes(new asn1js.ObjectIdentifier({ value: dotted }).toBER());
    if (oidCache.size < 256) oidCache.set(dotted, encoded);
  }
  return encoded;
}

const two = (n: number) => String(n).padStart(2, '0');

function ascii(tag: number, text: string): Uint8Array {
  return tlv(tag, Uint8Array.from(text, (c) => c.charCodeAt(0)));
}

/** GeneralizedTime in UTC, milliseconds without trailing zeros (none at all when zero), as RFC 3161 2.4.2 requires. */
export function generalizedTime(date: Date): Uint8Array {
  const ms = date.getUTCMilliseconds();
  const fraction = ms === 0 ? '' : `.${String(ms).padStart(3, '0').replace(/0+$/, '')}`;
  const text =
    String(date.getUTCFullYear()).padStart(4, '0') +
    two(date.getUTCMonth() + 1) +
    two(date.getUTCDate()) +
    two(date.getUTCHours()) +
    two(date.getUTCMinutes()) +
    two(date.getUTCSeconds()) +
    `${fraction}Z`;
  return ascii(0x18, text);
}

/** UTCTime (RFC 5280: years 1950 to 2049 only), whole seconds. */
export function utcTime(date: Date): Uint8Array {
  const year = date.getUTCFullYear();
  if (year < 1950 || year > 2049) throw new RangeError(`UTCTime year must be between 1950 and 2049, got ${year}; use GeneralizedTime instead`);
  return ascii(0x17, two(year % 100) + two(date.getUTCMonth() + 1) + two(date.getUTCDate()) + two(date.getUTCHours()) + two(date.getUTCMinutes()) + two(date.getUTCSeconds()) + 'Z');
}

export function algorithmIdentifier(oidDotted: string, parameters?: Uint8Array): Uint8Array {
  return parameters ? sequence(oid(oidDotted), parameters) : sequence(oid(oidDotted));
}

/** BIT STRING for a NamedBitList with the given bits set; DER drops trailing zero bits. */
export function namedBitString(bits: readonly number[]): Uint8Array {
  if (bits.length === 0) return Uint8Array.of(TAG.bitString, 0x01, 0x00);
  const highest = Math.max(...bits);
  const bytes = new Uint8Array(Math.floor(highest / 8) + 1);
  for (const bit of bits) bytes[bit >> 3]! |= 0x80 >> (bit & 7);
  const unusedBits = 7 - (highest & 7);
  return tlv(TAG.bitString, Uint8Array.of(unusedBits), bytes);
}

/** Bits set in a NamedBitList BIT STRING (bit 0 = most significant bit of the first octet). */
export function bitsOf(bitString: asn1js.BitString): number[] {
  const bytes = bitString.valueBlock.valueHexView;
  const unused = bitString.valueBlock.unusedBits;
  const total = bytes.length * 8 - unused;
  const bits: number[] = [];
  for (let bit = 0; bit < total; bit++) {
    if (bytes[bit >> 3]! & (0x80 >> (bit & 7))) bits.push(bit);
  }
  return bits;
}

export class DerParseError extends Error {
  override readonly name = 'DerParseError';
}

/**
 * Parses exactly one BER/DER element and rejects trailing bytes, so a
 * concatenation of a valid structure and junk is not silently accepted.
 * `parseEmbedded: false` stops asn1js from speculatively decoding every
 * OCTET STRING, which is both slower and a needless attack surface.
 */
export function parseDer(bytes: Uint8Array, what: string, maxLength = 1 << 20): asn1js.AsnType {
  if (bytes.length === 0) throw new DerParseError(`${what}: empty input`);
  if (bytes.length > maxLength) throw new DerParseError(`${what}: ${bytes.length} bytes exceeds the ${maxLength}-byte limit`);
  const parsed = asn1js.fromBER(bytes, { parseEmbedded: false });
  if (parsed.offset === -1) throw new DerParseError(`${what}: not valid DER (${parsed.result.error || 'decode error'})`);
  if (parsed.offset !== bytes.length) {
    throw new DerParseError(`${what}: ${bytes.length - parsed.offset} trailing byte(s) after the structure`);
  }
  return parsed.result;
}

/**
 * Throws DerParseError unless `bytes` is exactly one element whose framing is
 * DER: definite lengths in minimal form, single-byte tags, primitive
 * OCTET/BIT STRINGs, and constructed contents that exactly fill their parent.
 * asn1js is BER-lenient (it tolerates children overrunning their parent's
 * length), so the verifier runs this first to refuse re-framed tokens that
 * OpenSSL would read differently. Content-level rules (INTEGER minimality,
 * SET OF ordering) are not checked here.
 */
export function assertDerFraming(bytes: Uint8Array, what: string): void {
  const end = derElementEnd(bytes, 0, bytes.length, 0, what);
  if (end !== bytes.length) throw new DerParseError(`${what}: ${bytes.length - end} trailing byte(s) after the structure`);
}

function derElementEnd(bytes: Uint8Array, offset: number, limit: number, depth: number, what: string): number {
  const fail = (problem: string): never => {
    throw new DerParseError(`${what}: not DER at offset ${offset}: ${problem}`);
  };
  if (depth > 32) fail('nesting too deep');
  if (offset + 2 > limit) fail('truncated element');
  const tag = bytes[offset]!;
  if ((tag & 0x1f) === 0x1f) fail('multi-byte tag');
  if (tag === 0x23 || tag === 0x24) fail('constructed BIT/OCTET STRING');
  let pos = offset + 1;
  let length = bytes[pos++]!;
  if (length === 0x80) fail('indefinite length');
  if (length > 0x80) {
    const count = length & 0x7f;
    if (count > 4 || pos + count > limit) fail('unusable length');
    if (bytes[pos] === 0) fail('length with leading zero octet');
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + bytes[pos++]!;
    if (length < 0x80) fail('long-form length for a short value');
  }
  const end = pos + length;
  if (end > limit) fail('length runs past the enclosing element');
  if (tag & 0x20) {
    for (let child = pos; child < end; ) child = derElementEnd(bytes, child, end, depth + 1, what);
  }
  return end;
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}
