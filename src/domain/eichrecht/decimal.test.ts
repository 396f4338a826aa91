import { describe, expect, it } from 'vitest';
import { compare, decimalFromNumber, formatDecimal, parseDecimal, resolutionWh, subtract, toWh } from './decimal.js';
import { parseTm } from './ocmf-time.js';

const d = (s: string) => parseDecimal(s)!;

describe('decimal', () => {
  it.each([
    ['1234.560', '1234.56'],
    ['       9.038', '9.038'],
    ['00000000.000', '0'],
    ['-0.50', '-0.5'],
    ['1.2e3', '1200'],
    ['5E-2', '0.05'],
    ['.5', '0.5'],
    ['62500.2031', '62500.2031'],
  ])('%s reads as %s', (text, canonical) => {
    expect(formatDecimal(d(text))).toBe(canonical);
  });

  it.each(['', 'abc', '1,5', '1.2.3', 'NaN', '0x10', '1e9999', '1e99999'])('%j is not a decimal', (text) => {
    expect(parseDecimal(text)).toBeUndefined();
  });

  it('converts kWh to Wh exactly and knows the resolution of the written digits', () => {
    expect(formatDecimal(toWh(d('1251.040'), 'kWh')!)).toBe('1251040');
    expect(formatDecimal(subtract(toWh(d('1251.040'), 'kWh')!, toWh(d('1234.560'), 'kWh')!))).toBe('16480');
    expect(formatDecimal(toWh(d('0.2597'), 'kWh')!)).toBe('259.7');
    expect(toWh(d('30'), 'sec')).toBeUndefined();
    expect(formatDecimal(resolutionWh(d('1234.560'), 'kWh')!)).toBe('1');
    expect(formatDecimal(resolutionWh(d('1.3'), 'kWh')!)).toBe('100');
    expect(formatDecimal(resolutionWh(d('1833'), 'Wh')!)).toBe('1');
    expect(compare(d('0.10'), d('0.1'))).toBe(0);
    expect(compare(d('9.038'), d('9.04'))).toBe(-1);
    expect(decimalFromNumber(Infinity)).toBeUndefined();
    expect(formatDecimal(decimalFromNumber(16480.9)!)).toBe('16480.9');
  });
});

describe('parseTm (OCMF Table 7 time)', () => {
  it.each([
    ['2025-03-14T09:15:02,000+0100 S', '2025-03-14T08:15:02.000Z', 'S'],
    ['2019-04-02T17:28:45,867+0200 S', '2019-04-02T15:28:45.867Z', 'S'],
    ['2021-10-26T11:15:09,000+0000 I', '2021-10-26T11:15:09.000Z', 'I'],
    ['2021-01-01T00:30:00,5-0130 R', '2021-01-01T02:00:00.500Z', 'R'],
    ['2024-02-29T12:00:00.000+01:00 U', '2024-02-29T11:00:00.000Z', 'U'],
    ['2025-03-14T09:15:02+0100', '2025-03-14T08:15:02.000Z', undefined],
  ])('%s', (tm, iso, status) => {
    const r = parseTm(tm);
    expect(r.time?.toISOString()).toBe(iso);
    expect(r.status).toBe(status);
  });

  it.each(['2025-02-29T00:00:00,000+0000 S', '2025-13-01T00:00:00,000+0000 S', '2025-03-14 09:15:02', ''])('%j is not a time', (tm) => {
    expect(parseTm(tm).time).toBeUndefined();
  });
});
