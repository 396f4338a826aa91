import { describe, expect, it } from 'vitest';
import { applyMultiplier, eventKind, mapMeterValues, toEvseStatus, toIdTokenInfo, type WireSampledValue } from './map.js';

const T = '2026-11-25T10:00:00Z';
const one = (sv: WireSampledValue) => mapMeterValues([{ timestamp: T, sampledValue: [sv] }]);

describe('meter values (2.0.1 SampledValueType, J01)', () => {
  it.each<[string, WireSampledValue, Record<string, unknown>]>([
    ['no optional field: Energy.Active.Import.Register in Wh, Sample.Periodic, Outlet', { value: 1234 },
      { measurand: 'Energy.Active.Import.Register', value: 1234, unit: 'Wh', context: 'Sample.Periodic', location: 'Outlet', rawValue: '1234', rawUnit: undefined }],
    ['unit Wh with multiplier 3 (value × 10^3)', { value: 12.5, unitOfMeasure: { unit: 'Wh', multiplier: 3 } },
      { value: 12_500, unit: 'Wh', rawValue: '12.5', rawUnit: 'Wh*10^3' }],
    ['unit kWh normalised to Wh', { value: 3.5, unitOfMeasure: { unit: 'kWh' } }, { value: 3500, unit: 'Wh', rawUnit: 'kWh' }],
    ['kWh and multiplier together', { value: 2, unitOfMeasure: { unit: 'kWh', multiplier: 1 } }, { value: 20_000, unit: 'Wh' }],
    ['a negative multiplier without binary-fraction noise', { value: 12_345, unitOfMeasure: { unit: 'Wh', multiplier: -1 } }, { value: 1234.5, unit: 'Wh', rawUnit: 'Wh*10^-1' }],
    ['multiplier given, unit left to its default', { value: 7, unitOfMeasure: { multiplier: 3 } }, { value: 7000, unit: 'Wh', rawUnit: 'Wh*10^3' }],
    ['power in kW to W', { value: 11, measurand: 'Power.Active.Import', unitOfMeasure: { unit: 'kW' } }, { measurand: 'Power.Active.Import', value: 11_000, unit: 'W' }],
    ['power with its default unit', { value: 7400, measurand: 'Power.Active.Import' }, { value: 7400, unit: 'W' }],
    ['current per phase', { value: 16.1, measurand: 'Current.Import', phase: 'L1', unitOfMeasure: { unit: 'A' } }, { phase: 'L1', value: 16.1, unit: 'A' }],
    ['voltage L1-N', { value: 231.2, measurand: 'Voltage', phase: 'L1-N' }, { value: 231.2, unit: 'V', phase: 'L1-N' }],
    ['state of charge', { value: 55, measurand: 'SoC', unitOfMeasure: { unit: 'Percent' } }, { value: 55, unit: '%' }],
    ['a Transaction.Begin register at the cable', { value: 0, context: 'Transaction.Begin', location: 'Cable' }, { value: 0, context: 'Transaction.Begin', location: 'Cable' }],
    ['reactive energy in kvarh', { value: 1.5, measurand: 'Energy.Reactive.Import.Register', unitOfMeasure: { unit: 'kvarh' } }, { value: 1500, unit: 'varh' }],
    ['a custom unit passes through', { value: 3, measurand: 'Frequency', unitOfMeasure: { unit: 'mHz' } }, { value: 3, unit: 'mHz' }],
  ])('%s', (_case, sv, expected) => {
    const out = one(sv);
    expect(out.unreadable).toEqual([]);
    expect(out.signed).toEqual([]);
    expect(out.readings).toHaveLength(1);
    expect(out.readings[0]).toMatchObject({ sampledAt: new Date(T), ...expected });
  });

  it.each([
    ['Transaction.Begin', 'begin'], ['Transaction.End', 'end'], ['Sample.Periodic', 'intermediate'], [undefined, 'intermediate'],
  ])('signedMeterValue in context %s is kept byte for byte as a %s signed reading, beside its value', (context, nature) => {
    const signedMeterData = 'T0NNRnx7IkZWIjoiMS4wIn18eyJTQSI6IkVDRFNBLXNlY3AyNTZyMS1TSEEyNTYiLCJTRCI6IjMwNDUwMjIwIn0=\n';
    const out = one({ value: 1000, ...(context ? { context } : {}), signedMeterValue: { signedMeterData, signingMethod: 'ECDSA-secp256r1-SHA256', encodingMethod: 'OCMF', publicKey: 'MFkwEwYHKoZI' } });
    expect(out.signed).toEqual([{ sampledAt: new Date(T), context: nature, ocppContext: context ?? 'Sample.Periodic', raw: signedMeterData, encodingMethod: 'OCMF', signingMethod: 'ECDSA-secp256r1-SHA256', publicKey: 'MFkwEwYHKoZI' }]);
    expect(out.readings[0]).toMatchObject({ value: 1000, unit: 'Wh' });
  });

  it('an empty publicKey (PublicKeyWithSignedMeterValue = Never) is left out', () => {
    const out = one({ value: 1, signedMeterValue: { signedMeterData: 'AAAA', signingMethod: '', encodingMethod: 'EDL', publicKey: '' } });
    expect(out.signed[0]).not.toHaveProperty('publicKey');
    expect(out.signed[0]).toMatchObject({ raw: 'AAAA', encodingMethod: 'EDL', signingMethod: '' });
  });

  it('a value that is not a number (salvaged off-schema message) is kept aside, the rest read', () => {
    const out = mapMeterValues([{ timestamp: T, sampledValue: [{ value: 'n/a' as unknown as number }, { value: 5 }] }]);
    expect(out.unreadable).toHaveLength(1);
    expect(out.readings.map((r) => r.value)).toEqual([5]);
  });

  it.each([[5, 0, 5], [5, 3, 5000], [12_345, -2, 123.45], [1, -3, 0.001], [5, undefined, 5]])('%d × 10^%s = %d', (value, m, expected) => {
    expect(applyMultiplier(value, m)).toBe(expected);
  });
});

describe('statuses, events and tokens', () => {
  it.each([
    ['Available', 'Available'], ['Occupied', 'Occupied'], ['Reserved', 'Reserved'], ['Unavailable', 'Unavailable'], ['Faulted', 'Faulted'], ['Charging', undefined],
  ])('ConnectorStatusEnumType %s -> neutral %s', (wire, neutral) => {
    expect(toEvseStatus(wire)).toBe(neutral);
  });

  it.each([['Started', 'started'], ['Updated', 'updated'], ['Ended', 'ended'], ['Finished', 'updated']])('eventType %s -> %s', (wire, kind) => {
    expect(eventKind(wire)).toBe(kind);
  });

  it.each([
    ['Accepted without extras', { status: 'Accepted', method: 'WHITELIST' }, { status: 'Accepted' }],
    ['a 2.0.1-only status', { status: 'NotAtThisTime', method: 'WHITELIST' }, { status: 'NotAtThisTime' }],
    ['an expiry for the cache', { status: 'Accepted', method: 'WHITELIST', expiresAt: new Date(T) }, { status: 'Accepted', cacheExpiryDateTime: '2026-11-25T10:00:00.000Z' }],
    ['a group token', { status: 'Accepted', method: 'WHITELIST', groupIdTag: 'FLEET-1' }, { status: 'Accepted', groupIdToken: { idToken: 'FLEET-1', type: 'Central' } }],
  ] as const)('idTokenInfo with %s', (_case, auth, wire) => {
    expect(toIdTokenInfo(auth as never)).toEqual(wire);
  });
});
