/**
 * The charger simulator as a library (the tests' and benchmarks' stand-in for real hardware) and the base of
 * the `npm run sim` CLI. An independent device: it never imports src/.
 *   const cp = createSimulatedCharger({ url: 'ws://127.0.0.1:9000/ocpp', identity: 'CP-1', connectors: 2 });
 *   await cp.connect(); await cp.startTransaction(1, '04A2B3C4D5E6F7'); await cp.advance(1, 60); await cp.stopTransaction(1);
 * OCPP 1.6J today; 2.0.1 stations come with their own class behind the same factory.
 */
import { SimulatedCharger16, type Charger16Options } from './charger16.js';

export { SimulatedCharger16 };
export type { Charger16Options, Connector16 } from './charger16.js';

export function createSimulatedCharger(options: Charger16Options & { protocol?: 'ocpp1.6' }): SimulatedCharger16 {
  if (options.protocol && options.protocol !== 'ocpp1.6') throw new Error(`the simulator speaks ocpp1.6 only so far, not ${options.protocol}`);
  return new SimulatedCharger16(options);
}

export function createSimulatedFleet(options: Omit<Charger16Options, 'identity'> & { count: number; identityPrefix?: string }): SimulatedCharger16[] {
  return Array.from({ length: options.count }, (_, i) => new SimulatedCharger16({ ...options, identity: `${options.identityPrefix ?? 'SIM-'}${String(i + 1).padStart(4, '0')}` }));
}
