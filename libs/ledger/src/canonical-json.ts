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
 * The common case, about twice as fast as `serialize`: a copy of `value`
 * whose objects have their members inserted in sorted order, for the native
 * JSON.stringify to write (it writes members in insertion order, and its
 * escaping is RFC 8785's). Anything it cannot vouch for throws NotFast and
 * `serialize` decides: values that are not plain JSON, integer-like keys
 * (engines list those first, whatever the insertion order) and `__proto__`, non-finite
 * numbers, undefined array elements, great depth (or a cycle).
 */
function sortedCopy(value: unknown, depth: number): unknown {
  if (value === null) return null;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      if (!Number.isFinite(value)) throw new NotFast();
      return value;
    case 'object':
      break;
    default:
      throw new NotFast();
  }
  if (depth > MAX_FAST_DEPTH) throw new NotFast();
  if (Array.isArray(value)) {
    const copy = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) {
      if (value[i] === undefined) throw new NotFast();
      copy[i] = sortedCopy(value[i], depth + 1);
    }
    return copy;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) throw new NotFast(); // Date, Map, class instances...
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const code = key.charCodeAt(0);
    if (code >= 48 && code <= 57) throw new NotFast(); // a digit: maybe an integer-like key
    if (key === '__proto__') throw new NotFast(); // assigning it would set the copy's prototype
    const member = (value as Record<string, unknown>)[key];
    if (member !== undefined) copy[key] = sortedCopy(member, depth + 1);
  }
  return copy;
}

function fastSerialize(value: unknown): string | undefined {
  const text = JSON.stringify(sortedCopy(value, 0));
  // JSON.stringify escapes a lone surrogate as \udXXX rather than refusing it;
  // the general pass refuses it (and returns the same text for a literal "\ud").
  if (text !== undefined && text.includes('\\ud')) throw new NotFast();
  return text;
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
    text = fastSerialize(value);
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
