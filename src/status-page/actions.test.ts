import { describe, expect, it } from 'vitest';
import { outcomeFlash } from './actions.js';

describe('the flash a technician sees after an action', () => {
  it('tells an answer that is not OCPP from a refusal, a timeout and an offline charger', () => {
    const flash = (outcome: Parameters<typeof outcomeFlash>[2]) => outcomeFlash('CP-1', 'Soft reset', outcome, ['Accepted']);
    expect(flash({ ok: true, value: { status: 'Accepted' } })).toEqual({ kind: 'ok', text: 'Soft reset: CP-1 answered Accepted.' });
    expect(flash({ ok: true, value: { status: 'Rejected' } })).toMatchObject({ kind: 'warn' });
    expect(flash({ ok: false, reason: 'invalid-answer', message: 'CP-1 answered Reset, but its answer does not match the OCPP 1.6 schema' }))
      .toEqual({ kind: 'error', text: expect.stringMatching(/^Soft reset: CP-1 answered in a form OCPP does not allow \(a firmware defect\).*does not match the OCPP 1\.6 schema$/) });
    expect(flash({ ok: false, reason: 'timeout', message: '' }).text).toMatch(/did not answer in time/);
    expect(flash({ ok: false, reason: 'offline', message: '' }).text).toMatch(/is offline: Soft reset was not sent/);
  });
});
