/**
 * Limits per source: repeated failed upgrades from one address are refused with 429 (brute force), and a
 * charger flooding calls is paced — non-transaction calls past the queue get a CALLERROR, transaction
 * messages always wait and are answered. Other chargers keep being served.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basicAuth, connectProbe, upgradeStatus } from '../helpers/ocpp-client.js';
import { siteConfig, startTestBridge, type TestBridge } from '../helpers/start-bridge.js';

let bridge: TestBridge;
beforeAll(async () => {
  bridge = await startTestBridge(siteConfig([{ identity: 'CP-L1', evses: 1, password: 'limits-password-1' }, { identity: 'CP-L2', evses: 1 }], {
    ocpp: { auth_failures_per_minute: 3, max_calls_per_second: 20, call_burst: 5, max_queued_calls: 5 },
  }));
});
afterAll(async () => {
  await bridge.close();
});

describe('OCPP limits', () => {
  it('a flood of calls is paced: heartbeats past the queue are refused, meter values all answered', async () => {
    const flooder = await connectProbe({ url: bridge.ocppUrl, identity: 'CP-L2', concurrency: 100 });
    const heartbeats = await Promise.allSettled(Array.from({ length: 30 }, () => flooder.call('Heartbeat', {})));
    const refused = heartbeats.filter((r) => r.status === 'rejected');
    expect(refused.length).toBeGreaterThan(0);
    expect((refused[0] as PromiseRejectedResult).reason).toMatchObject({ rpcErrorCode: 'GenericError' });
    expect(heartbeats.filter((r) => r.status === 'fulfilled').length).toBeGreaterThanOrEqual(10);
    const meterValues = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => flooder.call('MeterValues', { connectorId: 1, meterValue: [{ timestamp: new Date().toISOString(), sampledValue: [{ value: String(i) }] }] })));
    expect(meterValues.every((r) => r.status === 'fulfilled')).toBe(true);
    expect(bridge.logs.some((l) => l.msg === 'OCPP call refused: rate limit' && l.charger === 'CP-L2')).toBe(true);
    await flooder.close();
  });

  it('repeated failed logins from one address are refused with 429, even with the right password', async () => {
    for (let i = 0; i < 3; i++) expect(await upgradeStatus(`${bridge.ocppUrl}/CP-L1`, ['ocpp1.6'], basicAuth('CP-L1', `guess-${i}`))).toBe(401);
    expect(await upgradeStatus(`${bridge.ocppUrl}/CP-L1`, ['ocpp1.6'], basicAuth('CP-L1', 'limits-password-1'))).toBe(429);
  });
});
