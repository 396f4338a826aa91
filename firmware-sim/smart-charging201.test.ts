/**
 * The simulator's charging profiles (2.0.1 K01, K08, K10): what is accepted, which profile wins, and the
 * composite schedule evaluated only at boundaries equals the limit taken second by second.
 */
import { describe, expect, it } from 'vitest';
import { ChargingProfiles, type ChargingProfile, type SchedulePeriod } from './smart-charging201.js';

const NOW = Date.UTC(2026, 0, 15, 10, 0, 0, 250);
const iso = (offsetS: number) => new Date(NOW + offsetS * 1000).toISOString();
let txStart: number | undefined = NOW - 600_000;
const profiles = () => new ChargingProfiles({
  evseIds: [1, 2], maxCurrentA: 32, maxPowerW: 22_080,
  transactionOn: (id) => (id === 1 && txStart !== undefined ? { id: 'tx-1', startedAtMs: txStart } : undefined),
});
const profile = (id: number, purpose: ChargingProfile['chargingProfilePurpose'], kind: ChargingProfile['chargingProfileKind'], periods: SchedulePeriod[], extra: Partial<ChargingProfile> = {}, schedule: Record<string, unknown> = {}): ChargingProfile =>
  ({ id, stackLevel: 0, chargingProfilePurpose: purpose, chargingProfileKind: kind, chargingSchedule: [{ id, chargingRateUnit: 'A', chargingSchedulePeriod: periods, ...schedule }], ...extra });

/** The composite the slow way: the limit at every second, merged. */
function everySecond(p: ChargingProfiles, evseId: number, durationS: number, unit: 'A' | 'W'): SchedulePeriod[] {
  const out: SchedulePeriod[] = [];
  for (let s = 0; s < durationS; s++) {
    const limit = p.limit(evseId, NOW + s * 1000, unit);
    if (out[out.length - 1]?.limit !== limit) out.push({ startPeriod: s, limit });
  }
  return out;
}

describe('SetChargingProfile (K01)', () => {
  it.each([
    ['a TxProfile for the running transaction', 1, profile(1, 'TxProfile', 'Relative', [{ startPeriod: 0, limit: 16 }]), 'Accepted'],
    ['a TxProfile naming another transaction', 1, profile(2, 'TxProfile', 'Relative', [{ startPeriod: 0, limit: 16 }], { transactionId: 'other' }), 'Rejected'],
    ['a TxProfile on an EVSE without a transaction', 2, profile(3, 'TxProfile', 'Relative', [{ startPeriod: 0, limit: 16 }]), 'Rejected'],
    ['ChargingStationMaxProfile on EVSE 0', 0, profile(4, 'ChargingStationMaxProfile', 'Absolute', [{ startPeriod: 0, limit: 40 }]), 'Accepted'],
    ['ChargingStationMaxProfile on an EVSE', 1, profile(5, 'ChargingStationMaxProfile', 'Absolute', [{ startPeriod: 0, limit: 40 }]), 'Rejected'],
    ['a schedule not starting at 0', 1, profile(6, 'TxDefaultProfile', 'Absolute', [{ startPeriod: 60, limit: 10 }]), 'Rejected'],
    ['periods out of order', 1, profile(7, 'TxDefaultProfile', 'Absolute', [{ startPeriod: 0, limit: 10 }, { startPeriod: 0, limit: 12 }]), 'Rejected'],
    ['an unknown EVSE', 9, profile(8, 'TxDefaultProfile', 'Absolute', [{ startPeriod: 0, limit: 10 }]), 'Rejected'],
  ])('%s', (_name, evseId, p, status) => {
    expect(profiles().set(evseId, p, NOW).status).toBe(status);
  });

  it('the same id replaces; another id with the same purpose and stack level on the EVSE is refused', () => {
    const p = profiles();
    expect(p.set(1, profile(1, 'TxDefaultProfile', 'Absolute', [{ startPeriod: 0, limit: 10 }]), NOW).status).toBe('Accepted');
    expect(p.set(1, profile(1, 'TxDefaultProfile', 'Absolute', [{ startPeriod: 0, limit: 12 }]), NOW).status).toBe('Accepted');
    expect(p.set(1, profile(2, 'TxDefaultProfile', 'Absolute', [{ startPeriod: 0, limit: 14 }]), NOW)).toEqual({ status: 'Rejected', reason: 'DuplicateProfile' });
    expect(p.installed.map((x) => x.profile.chargingSchedule[0]!.chargingSchedulePeriod[0]!.limit)).toEqual([12]);
  });
});

describe('ClearChargingProfile (K10)', () => {
  it('by id, by criteria, Unknown when nothing matches', () => {
    const p = profiles();
    p.set(1, profile(1, 'TxDefaultProfile', 'Absolute', [{ startPeriod: 0, limit: 10 }]), NOW);
    p.set(2, profile(2, 'TxDefaultProfile', 'Absolute', [{ startPeriod: 0, limit: 10 }]), NOW);
    p.set(1, profile(3, 'TxProfile', 'Relative', [{ startPeriod: 0, limit: 10 }]), NOW);
    expect(p.clear({ chargingProfileId: 3 })).toBe('Accepted');
    expect(p.clear({ chargingProfileId: 3 })).toBe('Unknown');
    expect(p.clear({ chargingProfileCriteria: { evseId: 2 } })).toBe('Accepted');
    expect(p.installed.map((x) => x.profile.id)).toEqual([1]);
  });
});

describe('composite schedule (K08)', () => {
  it('the highest stack level wins per purpose; the result is the lowest of maximum, transaction limit and hardware', () => {
    const p = profiles();
    p.set(1, profile(1, 'TxDefaultProfile', 'Absolute', [{ startPeriod: 0, limit: 20 }], { stackLevel: 0 }), NOW);
    p.set(1, profile(2, 'TxDefaultProfile', 'Absolute', [{ startPeriod: 0, limit: 25 }], { stackLevel: 1 }), NOW);
    expect(p.limit(1, NOW, 'A')).toBe(25);
    p.set(1, profile(3, 'TxProfile', 'Relative', [{ startPeriod: 0, limit: 30 }]), NOW);
    expect(p.limit(1, NOW, 'A')).toBe(30); // a TxProfile takes the place of the defaults
    p.set(0, profile(4, 'ChargingStationMaxProfile', 'Absolute', [{ startPeriod: 0, limit: 11_040 }], {}, { chargingRateUnit: 'W' }), NOW);
    expect(p.limit(1, NOW, 'A')).toBe(16); // 11,040 W at 230 V on 3 phases
    expect(p.limit(1, NOW, 'W')).toBe(11_040);
    expect(p.limit(2, NOW, 'A')).toBe(16); // the station maximum applies to every EVSE
    p.clear({ chargingProfileId: 4 });
    p.set(1, profile(5, 'TxProfile', 'Relative', [{ startPeriod: 0, limit: 63 }], { stackLevel: 2 }), NOW);
    expect(p.limit(1, NOW, 'A')).toBe(32); // never above the hardware
  });

  it.each([
    ['a relative TxProfile with steps and a duration over a default', [
      [1, profile(1, 'TxProfile', 'Relative', [{ startPeriod: 0, limit: 16 }, { startPeriod: 1200, limit: 10 }], {}, { duration: 5400 })],
      [1, profile(2, 'TxDefaultProfile', 'Absolute', [{ startPeriod: 0, limit: 24 }], {}, { startSchedule: iso(300) })],
    ]],
    ['a daily recurring station maximum in W over an absolute default with a validTo', [
      [0, profile(3, 'ChargingStationMaxProfile', 'Recurring', [{ startPeriod: 0, limit: 20_000 }, { startPeriod: 7200, limit: 15_000 }], { recurrencyKind: 'Daily' }, { chargingRateUnit: 'W', startSchedule: iso(-3600.4) })],
      [1, profile(4, 'TxDefaultProfile', 'Absolute', [{ startPeriod: 0, limit: 12 }, { startPeriod: 3000, limit: 28 }], { validTo: iso(40_000.7) }, { startSchedule: iso(-100) })],
    ]],
  ] as Array<[string, Array<[number, ChargingProfile]>]>)('%s: boundaries only = every second', (_name, set) => {
    const p = profiles();
    for (const [evseId, x] of set) expect(p.set(evseId, x, NOW).status).toBe('Accepted');
    for (const unit of ['A', 'W'] as const) {
      const fast = p.composite(1, 86_400, unit, NOW);
      expect(fast.chargingSchedulePeriod).toEqual(everySecond(p, 1, 86_400, unit));
      expect(fast.chargingSchedulePeriod.length).toBeGreaterThan(2);
    }
  });

  it('without profiles the hardware limit; the unit is the TxProfile one unless asked', () => {
    txStart = undefined;
    try {
      expect(profiles().composite(2, 600, undefined, NOW)).toEqual({ chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 32 }] });
      expect(profiles().composite(0, 600, 'W', NOW)).toEqual({ chargingRateUnit: 'W', chargingSchedulePeriod: [{ startPeriod: 0, limit: 44_160 }] });
    } finally {
      txStart = NOW - 600_000;
    }
  });
});
