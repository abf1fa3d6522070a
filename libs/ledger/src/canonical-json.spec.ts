// RFC 8785 conformance: the RFC's own examples plus the reference test data of
// its author (github.com/cyberphone/json-canonicalization, testdata/).
import fc from 'fast-check';
import { canonicalBytes, canonicalize } from './canonical-json.js';

const fromBits = (hex: string): number => Buffer.from(hex, 'hex').readDoubleBE(0);

describe('canonicalize', () => {
  it('sorts members by UTF-16 code units (RFC 8785 section 3.2.3 example)', () => {
    const input = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis',
    };
    expect(canonicalize(input)).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis",' +
        '"\u20ac":"Euro Sign","\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
  });

  it('matches the RFC 8785 section 3.2.2 / cyberphone values.json example', () => {
    const input = JSON.parse(
      '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],' +
        ' "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/",' +
        ' "literals": [null, true, false]}',
    );
    expect(canonicalize(input)).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],' +
        '"string":"\u20ac$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });

  it('matches cyberphone testdata weird.json', () => {
    const input = JSON.parse(
      '{"\\u20ac":"Euro Sign","1":"One","\\u0080":"Control\\u007f","\\ud83d\\ude02":"Smiley",' +
        '"\\u00f6":"Latin Small Letter O With Diaeresis","\\ufb33":"Hebrew Letter Dalet With Dagesh",' +
        '"</script>":"Browser Challenge"}',
    );
    expect(canonicalize(input)).toBe(
      '{"1":"One","</script>":"Browser Challenge","\u0080":"Control\u007f","\u00f6":"Latin Small Letter O With Diaeresis",' +
        '"\u20ac":"Euro Sign","\ud83d\ude02":"Smiley","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
  });

  // RFC 8785 Appendix B: IEEE 754 bit patterns and their canonical text.
  it.each([
    ['0000000000000000', '0'],
    ['8000000000000000', '0'],
    ['0000000000000001', '5e-324'],
    ['8000000000000001', '-5e-324'],
    ['7fefffffffffffff', '1.7976931348623157e+308'],
    ['ffefffffffffffff', '-1.7976931348623157e+308'],
    ['4340000000000000', '9007199254740992'],
    ['c340000000000000', '-9007199254740992'],
    ['4430000000000000', '295147905179352830000'],
    ['44b52d02c7e14af5', '9.999999999999997e+22'],
    ['44b52d02c7e14af6', '1e+23'],
    ['44b52d02c7e14af7', '1.0000000000000001e+23'],
    ['444b1ae4d6e2ef4e', '999999999999999700000'],
    ['444b1ae4d6e2ef4f', '999999999999999900000'],
    ['444b1ae4d6e2ef50', '1e+21'],
    ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
    ['3eb0c6f7a0b5ed8d', '0.000001'],
    ['41b3de4355555553', '333333333.3333332'],
    ['41b3de4355555554', '333333333.33333325'],
    ['41b3de4355555555', '333333333.3333333'],
    ['41b3de4355555556', '333333333.3333334'],
    ['41b3de4355555557', '333333333.33333343'],
    ['becbf647612f3696', '-0.0000033333333333333333'],
    ['43143ff3c1cb0959', '1424953923781206.2'],
  ])('serializes the double 0x%s as %s (RFC 8785 Appendix B)', (bits, text) => {
    expect(canonicalize(fromBits(bits))).toBe(text);
  });

  it.each([
    ['NaN', NaN],
    ['Infinity', Infinity],
    ['-Infinity', -Infinity],
  ])('rejects %s (RFC 8785 Appendix B error rows)', (_name, value) => {
    expect(() => canonicalize({ a: [value] })).toThrow(/non-finite number .* at \$\.a\[0\]/);
  });

  it.each([
    ['bigint', 1n, /bigint/],
    ['function', () => 1, /function is not JSON/],
    ['symbol', Symbol('s'), /symbol is not JSON/],
    ['Map', new Map([[1, 2]]), /Map is not JSON/],
    ['Uint8Array', new Uint8Array(2), /Uint8Array is not JSON/],
    ['lone surrogate', '\ud800x', /lone UTF-16 surrogate/],
    ['undefined array element', [1, undefined], /undefined array element/],
  ])('rejects a %s with a clear error', (_name, value, message) => {
    expect(() => canonicalize({ v: value })).toThrow(message);
  });

  it('rejects top-level undefined and lone surrogates in keys', () => {
    expect(() => canonicalize(undefined)).toThrow(/undefined is not JSON/);
    expect(() => canonicalize({ ['\udc00']: 1 })).toThrow(/lone UTF-16 surrogate/);
  });

  it('rejects cycles but accepts the same object twice side by side', () => {
    const shared = { x: 1 };
    expect(canonicalize([shared, shared])).toBe('[{"x":1},{"x":1}]');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => canonicalize(cyclic)).toThrow(/circular reference at \$\.self/);
  });

  it('gives the same text on its fast path (plain values) and its general path (class instances, deep nesting)', () => {
    class Point {
      constructor(
        public y: number,
        public x: number,
      ) {}
    }
    expect(canonicalize({ p: new Point(2, 1) })).toBe(canonicalize({ p: { x: 1, y: 2 } }));
    let deep: unknown = 'leaf';
    for (let i = 0; i < 200; i++) deep = i % 2 ? [deep] : { k: deep };
    expect(canonicalize(deep)).toBe(JSON.stringify(deep));
    expect(() => canonicalize({ a: [1, { b: Number.NaN }] })).toThrow('canonicalize: non-finite number NaN at $.a[1].b');
    // Keys an engine would not keep in insertion order, and one that is not a plain member when assigned.
    expect(canonicalize({ b: 1, 10: 'x', 2: 'y', a: 0 })).toBe('{"10":"x","2":"y","a":0,"b":1}');
    expect(canonicalize(JSON.parse('{"z":1,"__proto__":null}'))).toBe('{"__proto__":null,"z":1}');
    expect(canonicalize({ s: 'a literal \\ud800 stays text' })).toBe('{"s":"a literal \\\\ud800 stays text"}');
  });

  it('omits undefined members and honours toJSON, as JSON.stringify does', () => {
    expect(canonicalize({ b: undefined, a: new Date(Date.UTC(2020, 0, 2)) })).toBe('{"a":"2020-01-02T00:00:00.000Z"}');
  });

  it('escapes control characters like JSON.stringify (lowercase hex)', () => {
    expect(canonicalize('\u0000\u001f\b\f\n\r\t"\\\u007f')).toBe('"\\u0000\\u001f\\b\\f\\n\\r\\t\\"\\\\\u007f"');
  });

  it('is idempotent and order-independent, and parses back to the same value (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalize(value);
        expect(canonicalize(JSON.parse(text))).toBe(text);
        // Rebuilding every object with reversed insertion order must not change the text.
        const reversed = JSON.parse(text, (_k, v: unknown) =>
          v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v,
        );
        expect(canonicalize(reversed)).toBe(text);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });
});

describe('canonicalBytes', () => {
  it('is the UTF-8 encoding (cyberphone README hex example)', () => {
    const input = JSON.parse(
      '{"numbers": [1E30,4.50,6,2e-3,0.000000000000000000000000001],' +
        ' "escaping": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/", "other": [null, true, false]}',
    );
    const hex =
      '7b 22 65 73 63 61 70 69 6e 67 22 3a 22 e2 82 ac 24 5c 75 30 30 30 66 5c 6e 41 27 42 5c 22 5c 5c ' +
      '5c 5c 5c 22 2f 22 2c 22 6e 75 6d 62 65 72 73 22 3a 5b 31 65 2b 33 30 2c 34 2e 35 2c 36 2c 30 2e ' +
      '30 30 32 2c 31 65 2d 32 37 5d 2c 22 6f 74 68 65 72 22 3a 5b 6e 75 6c 6c 2c 74 72 75 65 2c 66 61 ' +
      '6c 73 65 5d 7d';
    expect(Buffer.from(canonicalBytes(input)).toString('hex')).toBe(hex.replaceAll(' ', ''));
  });
});
