/**
 * The simulator's OCMF records, checked with node:crypto alone (the simulator is an independent device: the
 * bridge's verifier judges them in test/e2e/simulator-signed.test.ts): the exact payload bytes are signed, the
 * key is P-256 in DER SPKI form, fields and numbers are written as OCMF wants, pagination counts on, keys persist,
 * and every broken variant breaks exactly what it says.
 */
import { createPublicKey, verify } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deviceSerial, keyFilePath, loadOrCreateMeterKey, MeterSigner, OcmfMeter, type SignedVariant } from './ocmf.js';

const ID = { gatewayId: 'Simulated SIM-201', gatewaySerial: 'SIM201-CS-1', gatewayFirmware: '1.0.0', meterSerial: 'SIM201-CS-1-M1', chargePointId: 'CS-1 1' };
const T0 = new Date(Date.UTC(2026, 2, 14, 8, 15, 2, 42));
const at = (s: number) => new Date(T0.getTime() + s * 1000);

function session(variant: SignedVariant, signer = new MeterSigner('CS-1', { variant })) {
  const meter = new OcmfMeter(signer, ID, 171);
  const records = [
    meter.record({ kind: 'begin', at: T0, energyWh: 1_234_560, idTag: '04A2B3C4D5E6F7' }),
    meter.record({ kind: 'sample', at: at(900), energyWh: 1_240_212.4, idTag: '04A2B3C4D5E6F7' }),
    meter.record({ kind: 'end', at: at(2259), energyWh: 1_251_040, idTag: '04A2B3C4D5E6F7' }),
  ];
  const key = createPublicKey({ key: Buffer.from(signer.publicKeyHex(), 'hex'), format: 'der', type: 'spki' });
  return records.map((text) => {
    const [header, payload, signature, ...rest] = text.split('|');
    const sig = JSON.parse(signature!);
    return { text, header, payload: payload!, rest, sig, data: JSON.parse(payload!), valid: verify('sha256', Buffer.from(payload!, 'utf8'), { key, dsaEncoding: 'der' }, Buffer.from(sig.SD, 'hex')) };
  });
}

describe('OCMF records of the simulated meter', () => {
  it('are OCMF|payload|signature, the payload signed byte for byte with a P-256 key given as DER SPKI', () => {
    const records = session('good');
    for (const r of records) {
      expect(r.header).toBe('OCMF');
      expect(r.rest).toEqual([]);
      expect(Object.keys(r.sig)).toEqual(['SA', 'SD']);
      expect(r.sig.SA).toBe('ECDSA-secp256r1-SHA256');
      expect(r.sig.SD).toMatch(/^30[0-9A-F]+$/);
      expect(r.valid).toBe(true);
    }
    expect(new MeterSigner('CS-1').publicKeyHex()).toMatch(/^3059301306072A8648CE3D020106082A8648CE3D030107034200[0-9A-F]{130}$/);
  });

  it('carry the fields of the reference, readings in kWh with three decimals, TM with comma and offset, PG counting on', () => {
    const [begin, sample, end] = session('good');
    expect(Object.keys(begin!.data)).toEqual(['FV', 'GI', 'GS', 'GV', 'PG', 'MV', 'MM', 'MS', 'MF', 'IS', 'IF', 'IT', 'ID', 'CT', 'CI', 'RD']);
    expect(begin!.data).toMatchObject({ FV: '1.0', GS: 'SIM201-CS-1', MS: 'SIM201-CS-1-M1', IS: true, IT: 'ISO14443', ID: '04A2B3C4D5E6F7', CT: 'CBIDC', CI: 'CS-1 1' });
    expect([begin, sample, end].map((r) => r!.data.PG)).toEqual(['T171', 'T172', 'T173']);
    expect([begin, sample, end].map((r) => r!.data.RD[0].TX)).toEqual(['B', 'C', 'E']);
    // the written form of RV is what is signed: 1234.560, not 1234.56
    expect(begin!.payload).toContain('"TM":"2026-03-14T08:15:02,042+0000 S","TX":"B","RV":1234.560,"RI":"1-0:1.8.0","RU":"kWh","RT":"AC","EF":"","ST":"G"');
    expect(sample!.payload).toContain('"RV":1240.212,');
    expect(end!.payload).toContain('"RV":1251.040,');
  });

  it('without a token: IS false, IT NONE, no ID', () => {
    const meter = new OcmfMeter(new MeterSigner('CS-1'), ID);
    const payload = JSON.parse(meter.record({ kind: 'begin', at: T0, energyWh: 0 }).split('|')[1]!);
    expect(payload).toMatchObject({ PG: 'T1', IS: false, IT: 'NONE' });
    expect(payload.ID).toBeUndefined();
  });

  it.each([
    ['bad-signature', (r: ReturnType<typeof session>) => expect(r.map((x) => x.valid)).toEqual([true, true, false])],
    ['wrong-meter-serial', (r: ReturnType<typeof session>) => expect(r.map((x) => x.data.MS)).toEqual(['SIM201-CS-1-M1', 'SIM201-CS-1-M1', 'SIM201-CS-1-M1-OTHER'])],
    ['falling-reading', (r: ReturnType<typeof session>) => expect(r.map((x) => x.data.RD[0].RV)).toEqual([1234.56, 1240.212, 1240.202])],
    ['pagination-gap', (r: ReturnType<typeof session>) => expect(r.map((x) => x.data.PG)).toEqual(['T171', 'T172', 'T174'])],
    ['time-outside-transaction', (r: ReturnType<typeof session>) => expect(r[0]!.data.RD[0].TM).toBe('2026-03-14T06:15:02,042+0000 S')],
  ] as const)('variant %s breaks what it names and nothing else', (variant, check) => {
    const records = session(variant);
    check(records);
    if (variant !== 'bad-signature') expect(records.every((r) => r.valid)).toBe(true);
    const good = session('good');
    const differs = records.map((r, i) => JSON.stringify({ ...r.data, PG: undefined }) !== JSON.stringify({ ...good[i]!.data, PG: undefined }));
    expect(differs).toEqual(variant === 'time-outside-transaction' ? [true, false, false] : variant === 'bad-signature' || variant === 'pagination-gap' ? [false, false, false] : [false, false, true]);
  });
});

describe('meter keys', () => {
  it('are created once in the key folder (mode 0600) and reused', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-keys-'));
    try {
      const a = new MeterSigner('DE*EXA/1', { keyDir: join(dir, 'keys') });
      const b = new MeterSigner('DE*EXA/1', { keyDir: join(dir, 'keys') });
      expect(b.publicKeyHex()).toBe(a.publicKeyHex());
      const path = keyFilePath(join(dir, 'keys'), 'DE*EXA/1');
      expect(path).toBe(join(dir, 'keys', 'DE%2AEXA%2F1.pem'));
      expect(readFileSync(path, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
      expect(statSync(path).mode & 0o777).toBe(0o600);
      expect(new MeterSigner('x', { privateKey: loadOrCreateMeterKey(join(dir, 'keys'), 'DE*EXA/1') }).publicKeyHex()).toBe(a.publicKeyHex());
      // the meter's pagination goes on where it stopped, across restarts
      const meter = () => new OcmfMeter(new MeterSigner('DE*EXA/1', { keyDir: join(dir, 'keys') }), ID);
      const pg = (m: OcmfMeter) => JSON.parse(m.record({ kind: 'sample', at: T0, energyWh: 0 }).split('|')[1]!).PG;
      const first = meter();
      expect([pg(first), pg(first)]).toEqual(['T1', 'T2']);
      expect(pg(meter())).toBe('T3');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('must be P-256', async () => {
    const { generateKeyPairSync } = await import('node:crypto');
    expect(() => new MeterSigner('x', { privateKey: generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).privateKey })).toThrow(/P-256/);
  });
});

describe('device serials', () => {
  it('keep short identities readable and fit OCPP\u2019s 25 characters with the meter suffix for long ones', () => {
    expect(deviceSerial('SIM16', 'CP-1')).toBe('SIM16-CP-1');
    const long = deviceSerial('SIM201', 'A-VERY-LONG-CHARGING-STATION-IDENTITY-0001');
    expect(long).toMatch(/^SIM201-[0-9A-F]{12}$/);
    expect(`${long}-M99`.length).toBeLessThanOrEqual(25);
  });
});
