import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLog } from './log.js';

function capture(level: 'debug' | 'info' = 'info') {
  const lines: string[] = [];
  const sink = new Writable({ write(chunk, _e, done) { lines.push(...chunk.toString().split('\n').filter(Boolean)); done(); } });
  return { log: createLog(level, sink), lines };
}

describe('log', () => {
  it('writes one JSON line per event with a textual level and an ISO time', () => {
    const { log, lines } = capture();
    log.info({ charger: 'CP-1' }, 'charger connected');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'info', charger: 'CP-1', msg: 'charger connected', time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
  });

  it.each([
    ['a top-level token', { token: 'secret-token-c' }],
    ['a nested password', { charger: { password: 'hunter2hunter2' } }],
    ['an Authorization header', { headers: { authorization: 'Token c2VjcmV0' } }],
    ['a request Authorization header', { req: { headers: { authorization: 'Basic Q1A6cGFzcw==' } } }],
    ['credentials tokens', { credentials: { token_b: 'bbbbbb', tokenC: 'cccccc' } }],
  ])('redacts %s', (_name, fields) => {
    const { log, lines } = capture();
    log.info(fields, 'event');
    expect(lines[0]).toContain('[redacted]');
    expect(lines[0]).not.toMatch(/secret-token-c|hunter2|c2VjcmV0|Q1A6cGFzcw|bbbbbb|cccccc/);
  });

  it('honours the level', () => {
    const { log, lines } = capture('info');
    log.debug('hidden');
    log.warn('shown');
    expect(lines.map((l) => JSON.parse(l).msg)).toEqual(['shown']);
  });
});
