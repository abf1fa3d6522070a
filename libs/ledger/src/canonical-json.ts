// RFC 8785 JSON Canonicalization Scheme (JCS): one byte string per JSON value,
// so records hash and sign identically everywhere.

const LONE_SURROGATE = /\p{Surrogate}/u; // in u-mode only unpaired surrogates match

/** Thrown by the fast pass when `serialize`, the general pass, must decide. */
class NotFast extends Error {}

function fail(path: string, why: string): never {
  throw new TypeError(`canonicalize: ${why} at ${path}`);
}

const child = (path: string, suffix: string | number): string => (typeof suffix === 'number' ? `${path}[${suffix}]` : `${path}.${suffix}`);

function serializeString(value: string, path: string): string {
  // JCS requires I-JSON strings; a lone surrogate has no UTF-8 form and
  // TextEncoder would silently turn it into U+FFFD, changing the hash input.
  if (LONE_SURROGATE.test(value)) fail(path, 'lone UTF-16 surrogate in string');
  return JSON.stringify(value); // RFC 8785 3.2.2.2 escaping is exactly JSON.stringify's
}

function serialize(value: unknown, path: string, ancestors: Set<object>): string | undefined {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) fail(path, `non-finite number ${value}`);
      return String(value); // ECMAScript Number::toString, as RFC 8785 3.2.2.3 requires (-0 -> "0")
    case 'string':
      return serializeString(value, path);
    case 'undefined':
      return undefined; // the caller omits the member (or rejects it where JSON cannot omit)
    case 'bigint':
      return fail(path, 'bigint is not a JSON number (convert it to a string or number first)');
    case 'function':
    case 'symbol':
      return fail(path, `${typeof value} is not JSON`);
  }
  const obj = value as object;
  if (typeof (obj as { toJSON?: unknown }).toJSON === 'function') {
    // Same hook JSON.stringify honours, e.g. Date -> ISO string.
    return serialize((obj as { toJSON: () => unknown }).toJSON(), path, ancestors);
  }
  // These would serialize as {} and silently drop their contents.
  if (obj instanceof Map || obj instanceof Set || ArrayBuffer.isView(obj) || obj instanceof ArrayBuffer) {
    fail(path, `${obj.constructor.name} is not JSON`);
  }
  if (ancestors.has(obj)) fail(path, 'circular reference');
  ancestors.add(obj);
  let out: string;
  if (Array.isArray(obj)) {
    out = `[${obj
      .map((item, i) => serialize(item, child(path, i), ancestors) ?? fail(child(path, i), 'undefined array element'))
      .join(',')}]`;
  } else {
    // Default sort compares UTF-16 code units, exactly RFC 8785 3.2.3.
    const members: string[] = [];
    for (const key of Object.keys(obj).sort()) {
      const member = serialize((obj as Record<string, unknown>)[key], child(path, key), ancestors);
      if (member !== undefined) members.push(`${serializeString(key, path)}:${member}`);
    }
    out = `{${members.join(',')}}`;
  }
  ancestors.delete(obj);
  return out;
}

const MAX_FAST_DEPTH = 64;

/**
 * The common case, about three times faster than `serialize`: plain objects,
 * arrays, strings, finite numbers, booleans and null, built by concatenation
 * with no path and no ancestor set (depth bounds it instead). Anything else,
 * or any doubt, throws NotFast and `serialize` decides (building the paths its
 * errors name), so both give the same text or the same error. Every ledger
 * entry goes through here.
 */
function fastSerialize(value: unknown, depth: number): string | undefined {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      if (LONE_SURROGATE.test(value)) throw new NotFast();
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new NotFast();
      return String(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'undefined':
      return undefined;
    case 'object':
      break;
    default:
      throw new NotFast();
  }
  if (depth > MAX_FAST_DEPTH) throw new NotFast(); // deep, or a cycle: let serialize tell
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      const item = fastSerialize(value[i], depth + 1);
      if (item === undefined) throw new NotFast();
      out += i === 0 ? item : `,${item}`;
    }
    return `${out}]`;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) throw new NotFast(); // Date, Map, class instances...
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') throw new NotFast();
  const keys = Object.keys(value).sort();
  let out = '{';
  let first = true;
  for (const key of keys) {
    const member = fastSerialize((value as Record<string, unknown>)[key], depth + 1);
    if (member === undefined) continue;
    if (LONE_SURROGATE.test(key)) throw new NotFast();
    out += `${first ? '' : ','}${JSON.stringify(key)}:${member}`;
    first = false;
  }
  return `${out}}`;
}

/**
 * RFC 8785 canonical JSON text of `value`. Throws a TypeError naming the path
 * for anything JSON cannot represent exactly: NaN/Infinity, bigint, functions,
 * symbols, lone surrogates, cycles, Map/Set/binary data, undefined outside an
 * object member (object members that are undefined are omitted, as in JSON).
 */
export function canonicalize(value: unknown): string {
  let text: string | undefined;
  try {
    text = fastSerialize(value, 0);
  } catch (error) {
    if (!(error instanceof NotFast)) throw error;
    text = serialize(value, '$', new Set()); // the general case, or the explained TypeError
  }
  if (text === undefined) fail('$', 'undefined is not JSON');
  return text;
}

const encoder = new TextEncoder();

/** UTF-8 bytes of canonicalize(value): the input to hashing and signing. */
export function canonicalBytes(value: unknown): Uint8Array {
  return encoder.encode(canonicalize(value));
}
