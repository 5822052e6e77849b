import { canonical, compare, formatDecimal, multiply, parseDecimal, shift, subtract } from '@tariff/pricing';

const d = parseDecimal;

describe('exact decimals', () => {
  test.each([
    ['3e-06', '0.000003'],
    ['1.3e-10', '0.00000000013'],
    ['0.30000000000000004', '0.30000000000000004'],
    ['1.5000999999999998e-07', '0.00000015000999999999998'],
    ['3.000', '3'],
    ['0', '0'],
    ['0.0', '0'],
    ['-1', '-1'],
    ['15', '15'],
    ['2E+3', '2000'],
    ['.5', '0.5'],
  ])('%s reads as %s', (literal, text) => {
    expect(canonical(literal)).toBe(text);
  });

  test.each(['', 'abc', '1.2.3', '1e', 'NaN', 'Infinity', '0x10', '1e99999'])('%j is not a decimal', (literal) => {
    expect(() => parseDecimal(literal)).toThrow(RangeError);
  });

  test('per-token prices become per-1M prices without binary floating point', () => {
    expect(formatDecimal(shift(d('3e-06'), 6))).toBe('3');
    expect(formatDecimal(shift(d('1.5000999999999998e-07'), 6))).toBe('0.15000999999999998');
    expect(formatDecimal(shift(d('0.00000008333333333333334'), 6))).toBe('0.08333333333333334');
    expect(formatDecimal(shift(d('2.4414e-07'), 6))).toBe('0.24414');
    expect(formatDecimal(shift(d('1.3e-10'), 6))).toBe('0.00013');
  });

  test('digits are exact on both sides of 2^53', () => {
    for (const digits of ['9007199254740991', '9007199254740992', '9007199254740993', '123456789012345678901234567890']) {
      expect(formatDecimal({ coef: BigInt(digits), exp: 0 })).toBe(digits);
      expect(formatDecimal({ coef: -BigInt(digits), exp: -3 })).toBe(`-${digits.slice(0, -3)}.${digits.slice(-3)}`.replace(/\.?0+$/, ''));
    }
  });

  test('differences and products are exact', () => {
    expect(formatDecimal(subtract(d('0.3'), d('0.1')))).toBe('0.2');
    expect(formatDecimal(subtract(d('1e-7'), d('0.30000000000000004')))).toBe('-0.29999990000000004');
    expect(formatDecimal(multiply(d('1234567'), d('0.000003')))).toBe('3.703701');
    expect(formatDecimal(multiply(d('18.2345'), d('0.0075')))).toBe('0.13675875');
  });

  test('comparison is by value, whatever the scale or notation', () => {
    expect(compare(d('0.30'), d('0.3'))).toBe(0);
    expect(compare(d('2'), d('10'))).toBe(-1);
    expect(compare(d('3e-06'), d('0.000003'))).toBe(0);
    expect(compare(d('0.29'), d('0.2899999999999999999'))).toBe(1);
  });
});
