import { scryptSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ago, duration, startOfDayMs } from './format.js';
import { generatePassword, hashPassword, verifyPassword } from './passwords.js';

describe('status page passwords (scrypt:<salt b64>:<hash b64>)', () => {
  it('hashes with a fresh salt and verifies only the right password', async () => {
    const a = await hashPassword('correct horse battery');
    const b = await hashPassword('correct horse battery');
    expect(a).toMatch(/^scrypt:[A-Za-z0-9+/]{22}==:[A-Za-z0-9+/]{43}=$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('correct horse battery', a)).toBe(true);
    expect(await verifyPassword('correct horse batterY', a)).toBe(false);
  });

  it('accepts a hash made elsewhere with node scrypt defaults (N=16384, r=8, p=1)', async () => {
    const salt = Buffer.from('0123456789abcdef');
    const hash = `scrypt:${salt.toString('base64')}:${scryptSync('pw-from-elsewhere', salt, 32).toString('base64')}`;
    expect(await verifyPassword('pw-from-elsewhere', hash)).toBe(true);
  });

  it.each([['not a hash'], ['scrypt:'], ['scrypt:abc:def'], ['bcrypt:AAAAAAAAAAAAAAAAAAAAAA==:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=']])('a malformed hash %j never matches and never throws', async (hash) => {
    expect(await verifyPassword('x', hash)).toBe(false);
  });

  it('generated passwords are 20 URL-safe characters and differ', () => {
    const a = generatePassword();
    expect(a).toMatch(/^[A-Za-z0-9_-]{20}$/);
    expect(generatePassword()).not.toBe(a);
  });
});

describe('status page formats', () => {
  it.each([
    ['winter, Berlin', '2026-11-25T10:00:00Z', 'Europe/Berlin', '2026-11-24T23:00:00.000Z'],
    ['summer, Berlin', '2026-07-01T00:30:00Z', 'Europe/Berlin', '2026-06-30T22:00:00.000Z'],
    ['DST starts today, Berlin', '2026-03-29T12:00:00Z', 'Europe/Berlin', '2026-03-28T23:00:00.000Z'],
    ['UTC', '2026-11-25T10:00:00Z', 'UTC', '2026-11-25T00:00:00.000Z'],
    ['west of UTC', '2026-11-25T03:00:00Z', 'America/New_York', '2026-11-24T05:00:00.000Z'],
  ])('start of the day: %s', (_name, now, zone, expected) => {
    expect(new Date(startOfDayMs(Date.parse(now), zone)).toISOString()).toBe(expected);
  });

  it.each([[3, '3 s ago'], [90, '1 min ago'], [3 * 3600 + 300, '3 h 05 min ago'], [3 * 86400, '3 d 0 h ago']])('%i s -> %s', (s, text) => {
    expect(ago(0, s * 1000)).toBe(text);
    expect(duration(s)).toBe(text.replace(/ ago$/, ''));
  });
});
