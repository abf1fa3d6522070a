import fc from 'fast-check';
import { MoneyError, MoneyErrorCode } from './money-error.js';
import { MAX_AMOUNT_FEN, parseAmount } from './parse-amount.js';

function expectInvalid(input: unknown, options?: { max?: bigint }): void {
  let caught: unknown;
  try {
    parseAmount(input, options);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(MoneyError);
  expect((caught as MoneyError).code).toBe(MoneyErrorCode.INVALID_AMOUNT);
}

describe('parseAmount', () => {
  it.each([
    [0, 0n],
    [1, 1n],
    [12345, 12345n],
    ['0', 0n],
    ['1999', 1999n],
    ['1000000000000000', MAX_AMOUNT_FEN],
    [1_000_000_000_000_000, MAX_AMOUNT_FEN],
    [42n, 42n],
  ])('accepts %p as %p fen', (input, expected) => {
    expect(parseAmount(input)).toBe(expected);
  });

  it('treats -0 as zero rather than a negative', () => {
    expect(parseAmount(-0)).toBe(0n);
  });

  it.each([
    ['float', 1.5],
    ['negative number', -1],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['unsafe integer', 2 ** 53],
    ['negative string', '-1'],
    ['plus sign', '+5'],
    ['exponent string', '1e3'],
    ['upper exponent', '1E3'],
    ['decimal string', '12.00'],
    ['leading zero', '007'],
    ['hex string', '0x10'],
    ['surrounding whitespace', ' 12'],
    ['trailing newline', '12\n'],
    ['empty string', ''],
    ['full-width digits', '１２'],
    ['underscore separator', '1_000'],
    ['over the ceiling (string)', '1000000000000001'],
    ['over the ceiling (number)', 1_000_000_000_000_001],
    ['far over the ceiling', '9'.repeat(5000)],
    ['negative bigint', -1n],
    ['bigint over ceiling', MAX_AMOUNT_FEN + 1n],
    ['null', null],
    ['undefined', undefined],
    ['boolean', true],
    ['object', { amount: 1 }],
    ['boxed number', Object(5)],
  ])('rejects %s', (_label, input) => {
    expectInvalid(input);
  });

  it('honours a configured ceiling inclusively', () => {
    expect(parseAmount('500', { max: 500n })).toBe(500n);
    expectInvalid('501', { max: 500n });
    expectInvalid(501, { max: 500n });
  });

  it('rejects a nonsensical ceiling', () => {
    expectInvalid('1', { max: -1n });
  });

  it('round-trips every in-range integer given as a string or a number', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: MAX_AMOUNT_FEN }), (value) => {
        expect(parseAmount(value.toString())).toBe(value);
        expect(parseAmount(Number(value))).toBe(value);
      }),
    );
  });

  it('rejects every non-integer finite number', () => {
    fc.assert(
      fc.property(
        fc.double({ noNaN: true, noDefaultInfinity: true }).filter((x) => !Number.isInteger(x)),
        (value) => {
          expectInvalid(value);
        },
      ),
    );
  });
});
