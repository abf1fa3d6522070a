// Hostile input for the bad-input attack tests (fast-check arbitraries):
// wrong types, huge strings, deep nesting, unicode edge cases (lone
// surrogates, right-to-left overrides, NUL, BOM, combining marks), negative
// and huge numbers, path traversal, SQL fragments, bad hashes, bad base64.
import fc from 'fast-check';

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code));

export const NASTY_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfffy',
  '\u202eexe.txt',
  '\u200f\u200e',
  '\ufeff{}',
  '😀👨‍👩‍👧',
  'e\u0301\u0301\u0301',
  '../../../../etc/passwd',
  '..\\..\\..\\windows\\win.ini',
  '%2e%2e%2f%2e%2e%2f',
  '....//....//',
  '/dev/zero',
  "' OR '1'='1",
  "1; DROP TABLE works; --",
  "'); SELECT pg_sleep(5); --",
  '$(id)',
  '{{7*7}}',
  '<script>alert(1)</script>',
  'null',
  'NaN',
  '-1',
  '1e400',
  '0x7fffffffffffffff',
  '99999999999999999999999999',
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85', // 63 hex digits
  'E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855Z',
  'eyJ0IjoiMSIsImlkIjoiLS0tLS0tLS0tLS0tLS0tLS0tLS0tLS0tLS0tLS0tLS0tLS0ifQ', // base64url cursor of {"t":"1","id":"-...-"}
  'not base64 ===',
  '====',
  'AAAA'.repeat(60),
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  'A'.repeat(10_000),
  // dates and times a format check may pass but PostgreSQL refuses
  '2026-02-30',
  '0000-01-01',
  '2026-W01',
  '2026-123',
  '+275760-09-13T00:00:00Z',
  '-000001-01-01',
  '2026-01-01T24:00:00Z',
  '2026-01-01T10:00:00+25:00',
  '9999-12-31T23:59:59.999999999Z',
];

export const nastyString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: loneSurrogate, minLength: 1, maxLength: 3 }) },
  { weight: 1, arbitrary: fc.base64String({ maxLength: 60 }) },
  { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEFxyz'), minLength: 60, maxLength: 70 }) },
);

export const nastyNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(-1, 0, -0, 0.5, 1.5, 2 ** 31, 2 ** 31 - 1, -(2 ** 31), 2 ** 53, 2 ** 53 + 2, -(2 ** 53), 1e21, 1e308, -1e308, Number.MIN_VALUE),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

function nested(depth: number, leaf: unknown): unknown {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value };
  return value;
}

/** Values that broke this API before (issue 6): tried far more often than chance would. */
export const CRITICAL_VALUES: unknown[] = ['a\u0000b', '\ud800', 'x\udc00', nested(40, 'deep'), nested(1_000, 'deeper'), -1, 1e308, 2 ** 53 + 2, 0.5, [], {}, null, true, 'H'.repeat(20_000)];

export const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...CRITICAL_VALUES) },
  { weight: 5, arbitrary: nastyString },
  { weight: 3, arbitrary: nastyNumber },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.constantFrom([], {}, [[]], { '': '' }) },
  { weight: 1, arbitrary: fc.array(nastyString, { maxLength: 4 }) },
  { weight: 1, arbitrary: fc.dictionary(nastyString, nastyString, { maxKeys: 3 }) },
  { weight: 1, arbitrary: fc.integer({ min: 17, max: 1_000 }).map((depth) => nested(depth, 'deep')) },
  { weight: 1, arbitrary: fc.constant('H'.repeat(300_000)) },
);

/** Bodies that are not the JSON object a route expects, sent as raw bytes with a JSON content type. */
export const RAW_BODIES: Buffer[] = [
  Buffer.from('{'),
  Buffer.from('[1,2'),
  Buffer.from('null'),
  Buffer.from('"a string"'),
  Buffer.from('12345'),
  Buffer.from('[]'),
  Buffer.from('{"a":1,"a":2}'),
  Buffer.from('{"__proto__":{"polluted":true}}'),
  Buffer.from('{"constructor":{"prototype":{"polluted":true}}}'),
  Buffer.from('{"x":1e400,"y":-1e400}'),
  Buffer.from('\ufeff{}'),
  Buffer.from([0xff, 0xfe, 0x7b, 0x7d]),
  Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d]), // invalid UTF-8 inside a string
  Buffer.from('{"a":"\\ud800"}'),
  Buffer.from('{"a":"\\u0000"}'),
  Buffer.from(`{"a":${'['.repeat(100_000)}${']'.repeat(100_000)}}`),
  Buffer.from(`${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}`),
  Buffer.alloc(300 * 1024, 0x20),
];

export const CONTENT_TYPES = [
  'text/plain',
  'application/json; charset=utf-16',
  'application/json; charset=latin1',
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  'multipart/form-data; boundary=',
  'application/json-patch+json',
  'application/xml',
  '',
];
