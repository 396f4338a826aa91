/**
 * OCPP security profiles 2 (TLS + Basic) and 3 (TLS client certificate, CN = identity) over real wss://,
 * with certificates generated at test time. Refusals happen at the upgrade with 401; TLS below 1.2 fails.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createPki, type Pki } from '../helpers/certs.js';
import { basicAuth, connectProbe } from '../helpers/ocpp-client.js';
import { siteConfig, startTestBridge, type TestBridge } from '../helpers/start-bridge.js';

let pki: Pki;
let bridge: TestBridge;
let wssUrl: string;

beforeAll(async () => {
  pki = createPki();
  bridge = await startTestBridge(siteConfig(
    [
      { identity: 'CP-P2', evses: 1, password: 'profile-two-secret', security_profile: 2 },
      { identity: 'CP-P3', evses: 1, security_profile: 3 },
      { identity: 'CP-P1', evses: 1, password: 'profile-one-secret', security_profile: 1 },
    ],
    { ocpp: { tls: { cert: pki.serverCert, key: pki.serverKey, ca: pki.caCert, port: 0 } } },
  ));
  wssUrl = `wss://127.0.0.1:${bridge.ports.ocppTls}/ocpp`;
});
afterAll(async () => {
  await bridge?.close();
  pki?.remove();
});

function tlsStatus(identity: string, opts: { cert?: Buffer; key?: Buffer; headers?: Record<string, string>; maxVersion?: string } = {}): Promise<number | string> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${wssUrl}/${identity}`, ['ocpp1.6'], {
      ca: readFileSync(pki.caCert), cert: opts.cert, key: opts.key, headers: opts.headers, maxVersion: opts.maxVersion as never,
    });
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('open', () => {
      resolve(101);
      ws.close();
    });
    ws.on('error', (err) => resolve(`tls-error: ${(err as Error).message}`));
  });
}

describe('security profile 2 (TLS + Basic auth)', () => {
  it('accepts the right password over wss and boots', async () => {
    const probe = await connectProbe({ url: wssUrl, identity: 'CP-P2', password: 'profile-two-secret', wsOpts: { ca: readFileSync(pki.caCert) } });
    expect((await probe.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' })).status).toBe('Accepted');
    expect(bridge.store.getCharger('CP-P2')).toMatchObject({ securityProfile: 2, connected: true });
    await probe.close();
  });
  it('refuses a wrong password with 401', async () => {
    expect(await tlsStatus('CP-P2', { headers: basicAuth('CP-P2', 'nope') })).toBe(401);
  });
  it('refuses the right password over plain ws with 401', async () => {
    const ws = new WebSocket(`${bridge.ocppUrl}/CP-P2`, ['ocpp1.6'], { headers: basicAuth('CP-P2', 'profile-two-secret') });
    const status = await new Promise((resolve) => ws.on('unexpected-response', (_r, res) => resolve(res.statusCode)));
    expect(status).toBe(401);
  });
  it('refuses TLS 1.1', async () => {
    expect(String(await tlsStatus('CP-P2', { headers: basicAuth('CP-P2', 'profile-two-secret'), maxVersion: 'TLSv1.1' }))).toMatch(/tls-error/);
  });
});

describe('security profile 3 (TLS client certificate)', () => {
  it('accepts a certificate from the configured CA whose CN is the identity', async () => {
    const { cert, key } = pki.client('CP-P3');
    expect(await tlsStatus('CP-P3', { cert, key })).toBe(101);
  });
  it.each([
    ['no client certificate', () => ({})],
    ['a certificate whose CN is another identity', () => pki.client('CP-P2')],
    ['a certificate from another CA', () => pki.client('CP-P3', { otherCa: true })],
  ])('refuses %s with 401', async (_name, make) => {
    expect(await tlsStatus('CP-P3', make() as { cert?: Buffer; key?: Buffer })).toBe(401);
  });
  it('refuses the identity in the URL not matching the certificate even with a valid cert', async () => {
    const { cert, key } = pki.client('CP-P3');
    expect(await tlsStatus('CP-P1', { cert, key })).toBe(401);
  });
});

describe('security profile 1 beside TLS', () => {
  it('works over ws and wss with its password', async () => {
    expect(await tlsStatus('CP-P1', { headers: basicAuth('CP-P1', 'profile-one-secret') })).toBe(101);
    const probe = await connectProbe({ url: bridge.ocppUrl, identity: 'CP-P1', password: 'profile-one-secret' });
    expect((await probe.call('Heartbeat', {})).currentTime).toBeTypeOf('string');
    await probe.close();
  });
});
