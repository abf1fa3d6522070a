// The hand-written leaf encoders against asn1js, which wrote them before.
import * as asn1js from 'asn1js';
import fc from 'fast-check';
import { generalizedTime, integer, toBytes, utcTime } from './der-encoding.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('DER leaf encoders', () => {
  it('write every INTEGER as asn1js does: minimal two’s complement', () => {
    const edges = [0n, 1n, -1n, 127n, 128n, -128n, -129n, 255n, 256n, -256n, 2n ** 127n - 1n, 2n ** 127n, -(2n ** 127n), 2n ** 159n];
    for (const n of edges) expect(hex(integer(n))).toBe(hex(toBytes(asn1js.Integer.fromBigInt(n).toBER())));
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 200n), max: 2n ** 200n }), (n) => hex(integer(n)) === hex(toBytes(asn1js.Integer.fromBigInt(n).toBER()))),
      { numRuns: 2000 },
    );
    expect(hex(integer(5))).toBe('020105');
  });

  it('write GeneralizedTime and UTCTime as asn1js does, milliseconds without trailing zeros', () => {
    const instants = fc.date({ min: new Date('1950-01-01T00:00:00Z'), max: new Date('2049-12-31T23:59:59.999Z'), noInvalidDate: true });
    fc.assert(
      fc.property(instants, (date) => {
        expect(hex(generalizedTime(date))).toBe(hex(toBytes(new asn1js.GeneralizedTime({ valueDate: date }).toBER())));
        expect(hex(utcTime(date))).toBe(hex(toBytes(new asn1js.UTCTime({ valueDate: date }).toBER())));
      }),
      { numRuns: 2000 },
    );
    expect(Buffer.from(generalizedTime(new Date('2026-11-29T12:00:00.120Z')).subarray(2)).toString()).toBe('20261129120000.12Z');
    expect(Buffer.from(generalizedTime(new Date('2026-11-29T12:00:00.000Z')).subarray(2)).toString()).toBe('20261129120000Z');
    expect(() => utcTime(new Date('2050-01-01T00:00:00Z'))).toThrow(RangeError);
  });
});
