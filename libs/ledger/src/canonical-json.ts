// RFC 8785 JSON Canonicalization Scheme (JCS): one byte string per JSON value,
// so records hash and sign identically everywhere.

const LONE_SURROGATE = /\p{Surrogate}/u; // in u-mode only unpaired surrogates match

/**
 * Paths are only built to explain an error: the fast pass runs without them
 * (building "$.a[0].b" for every member tripled the cost of encoding an
 * entry) and, if it fails, a second pass with paths produces the message.
 */
class NeedsPath extends Error {}

function fail(path: string | undefined, why: string): never {
  if (path === undefined) throw new NeedsPath();
  throw new TypeError(`canonicalize: ${why} at ${path}`);
}

const child = (path: string | undefined, suffix: string | number): string | undefined =>
  path === undefined ? undefined : typeof suffix === 'number' ? `${path}[${suffix}]` : `${path}.${suffix}`;

function serializeString(value: string, path: string | undefined): string {
  // JCS requires I-JSON strings; a lone surrogate has no UTF-8 form and
  // TextEncoder would silently turn it into U+FFFD, changing the hash input.
  if (LONE_SURROGATE.test(value)) fail(path, 'lone UTF-16 surrogate in string');
  return JSON.stringify(value); // RFC 8785 3.2.2.2 escaping is exactly JSON.stringify's
}

function serialize(value: unknown, path: string | undefined, ancestors: Set<object>): string | undefined {
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

/**
 * RFC 8785 canonical JSON text of `value`. Throws a TypeError naming the path
 * for anything JSON cannot represent exactly: NaN/Infinity, bigint, functions,
 * symbols, lone surrogates, cycles, Map/Set/binary data, undefined outside an
 * object member (object members that are undefined are omitted, as in JSON).
 */
export function canonicalize(value: unknown): string {
  let text: string | undefined;
  try {
    text = serialize(value, undefined, new Set());
  } catch (error) {
    if (!(error instanceof NeedsPath)) throw error;
    text = serialize(value, '$', new Set()); // throws the explained TypeError
  }
  if (text === undefined) fail('$', 'undefined is not JSON');
  return text;
}

const encoder = new TextEncoder();

/** UTF-8 bytes of canonicalize(value): the input to hashing and signing. */
export function canonicalBytes(value: unknown): Uint8Array {
  return encoder.encode(canonicalize(value));
}
