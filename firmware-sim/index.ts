/**
 * The charger simulator as a library (the tests' and benchmarks' stand-in for real hardware) and the base of
 * the `npm run sim` CLI. An independent device: it never imports src/.
 *   const cp = createSimulatedCharger({ url: 'ws://127.0.0.1:9000/ocpp', identity: 'CP-1', connectors: 2 });
 *   await cp.connect(); await cp.startTransaction(1, '04A2B3C4D5E6F7'); await cp.advance(1, 60); await cp.stopTransaction(1);
 *   const cs = createSimulatedCharger({ protocol: 'ocpp2.0.1', url, identity: 'CS-1', evses: 2, signed: true });
 *   await cs.connect(); const { transactionId } = await cs.startTransaction(1, '04A2B3C4D5E6F7'); ...
 * OCPP 1.6J charge points (charger16.ts) and OCPP 2.0.1 charging stations (station201.ts); both can sign their
 * meter values in OCMF (ocmf.ts).
 */
import { SimulatedCharger16, type Charger16Options } from './charger16.js';
import { SimulatedStation201, type Station201Options } from './station201.js';

export { SimulatedCharger16, SimulatedStation201 };
export type { Charger16Options, Connector16 } from './charger16.js';
export type { Station201Options, Evse201, Transaction201, IdToken201, ConnectorStatus201 } from './station201.js';
export { MeterSigner, OcmfMeter, SIGNED_VARIANTS, generateMeterKey, loadOrCreateMeterKey, publicKeySpki, isSignedVariant } from './ocmf.js';
export type { SignedOptions, SignedSetting, SignedVariant } from './ocmf.js';

export type SimulatedCharger = SimulatedCharger16 | SimulatedStation201;

export function createSimulatedCharger(options: Charger16Options & { protocol?: 'ocpp1.6' }): SimulatedCharger16;
export function createSimulatedCharger(options: Station201Options & { protocol: 'ocpp2.0.1' }): SimulatedStation201;
export function createSimulatedCharger(options: (Charger16Options & { protocol?: 'ocpp1.6' }) | (Station201Options & { protocol: 'ocpp2.0.1' })): SimulatedCharger {
  if (options.protocol === 'ocpp2.0.1') return new SimulatedStation201(options);
  if (options.protocol && options.protocol !== 'ocpp1.6') throw new Error(`the simulator speaks ocpp1.6 and ocpp2.0.1, not ${options.protocol as string}`);
  return new SimulatedCharger16(options);
}

const fleetIdentity = (prefix: string | undefined, i: number) => `${prefix ?? 'SIM-'}${String(i + 1).padStart(4, '0')}`;

export function createSimulatedFleet(options: Omit<Charger16Options, 'identity'> & { count: number; identityPrefix?: string }): SimulatedCharger16[] {
  return Array.from({ length: options.count }, (_, i) => new SimulatedCharger16({ ...options, identity: fleetIdentity(options.identityPrefix, i) }));
}

export function createSimulatedFleet201(options: Omit<Station201Options, 'identity'> & { count: number; identityPrefix?: string }): SimulatedStation201[] {
  return Array.from({ length: options.count }, (_, i) => new SimulatedStation201({ ...options, identity: fleetIdentity(options.identityPrefix, i) }));
}
