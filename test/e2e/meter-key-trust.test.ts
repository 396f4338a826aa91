/**
 * Eichrecht keys are trusted out of band (reference/eichrecht-ocmf.md): a 2.0.1 station that reports its own
 * meter key in its device model must not replace the key the operator configured. Here the station signs with a
 * key of its own while the config names another meter's key: its readings fail verification (they are not
 * "verified" by the key the charger vouched for itself) and the mismatch is a fault the technician sees.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MeterSigner, generateMeterKey } from '../../firmware-sim/ocmf.js';
import { SimulatedStation201 } from '../../firmware-sim/station201.js';
import { siteConfig, startTestBridge, type TestBridge } from '../helpers/start-bridge.js';

let bridge: TestBridge;
let station: SimulatedStation201;
const configuredKey = new MeterSigner('OTHER-METER', { privateKey: generateMeterKey() }).publicKeyHex();

beforeAll(async () => {
  const site = siteConfig([{ identity: 'CS-KEY', evses: 1 }]);
  site.ocpp.chargers[0].meter_public_key = configuredKey;
  bridge = await startTestBridge(site);
  station = new SimulatedStation201({ url: bridge.ocppUrl, identity: 'CS-KEY', signed: { privateKey: generateMeterKey() } });
  await station.connect();
});
afterAll(async () => {
  await station?.close();
  await bridge?.close();
});

it('a charger-reported meter key never replaces the configured one; the mismatch is a fault', async () => {
  // The station's device model (read after boot) names its own key.
  await expect.poll(() => bridge.store.listFaults({ identity: 'CS-KEY', open: true, limit: 10 }).map((f) => f.code), { timeout: 10_000 }).toContain('MeterKeyMismatch');
  expect(bridge.store.getCharger('CS-KEY')!.meterPublicKey).toBe(configuredKey);

  const { transactionId } = await station.startTransaction(1, '04A2B3C4D5E6F7');
  await station.advance(1, 600);
  await station.stopTransaction(1);
  const tx = bridge.store.findTransaction('CS-KEY', transactionId)!;
  await expect.poll(() => bridge.store.listSignedReadings({ transactionRowId: tx.id }).every((r) => r.verification !== null)).toBe(true);
  const readings = bridge.store.listSignedReadings({ transactionRowId: tx.id });
  expect(readings.length).toBeGreaterThan(0);
  expect(readings.some((r) => r.verification === 'verified')).toBe(false);
});
