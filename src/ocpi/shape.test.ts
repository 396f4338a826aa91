import { describe, expect, it } from 'vitest';
import { toAscii } from './shape.js';

describe('2.1.1 strings are printable ASCII', () => {
  it('transliterates letters and typography to their look-alikes, the rest to ?', () => {
    expect(toAscii('Ladepark Süd – Straße 1')).toBe('Ladepark Sud - Strasse 1');
    expect(toAscii('„Parkhaus“ — 24 h … 3×')).toBe('"Parkhaus" - 24 h ... 3x');
    expect(toAscii('Café €5')).toBe('Cafe EUR5');
    expect(toAscii('充电站')).toBe('???');
    expect(toAscii('plain')).toBe('plain');
  });
});
