/**
 * Fuzzing the OCPP endpoint with fast-check: arbitrary frames, and near-valid calls made by mutating a valid
 * payload of every charger-initiated action (a key dropped, a type changed, an over-long string, an extra
 * key, a garbage value). The bridge must answer every CALL with a CALLRESULT or CALLERROR, never crash,
 * keep serving, and keep its database consistent. FUZZ_RUNS raises the case count for a longer run by hand.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { siteConfig, startTestBridge, type TestBridge } from '../helpers/start-bridge.js';
import { connectProbe } from '../helpers/ocpp-client.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 2000);
const now = '2026-11-25T10:00:00Z';

/** A valid payload of every charger-initiated OCPP 1.6 action (the seeds the mutations start from). */
const V16_SEEDS: Record<string, Record<string, unknown>> = {
  BootNotification: { chargePointVendor: 'ACME', chargePointModel: 'M1', firmwareVersion: '1.0' },
  Heartbeat: {},
  StatusNotification: { connectorId: 1, status: 'Available', errorCode: 'NoError', timestamp: now },
  Authorize: { idTag: '04A2B3C4D5E6F7' },
  StartTransaction: { connectorId: 1, idTag: '04A2B3C4D5E6F7', meterStart: 100, timestamp: now },
  StopTransaction: { transactionId: 1, meterStop: 200, timestamp: now, reason: 'Local', transactionData: [{ timestamp: now, sampledValue: [{ value: '200', context: 'Transaction.End' }] }] },
  MeterValues: { connectorId: 1, transactionId: 1, meterValue: [{ timestamp: now, sampledValue: [{ value: '150', measurand: 'Energy.Active.Import.Register', unit: 'Wh' }, { value: '7.2', measurand: 'Power.Active.Import', unit: 'kW' }] }] },
  DataTransfer: { vendorId: 'com.example', messageId: 'x', data: 'y' },
  DiagnosticsStatusNotification: { status: 'Uploaded' },
  FirmwareStatusNotification: { status: 'Installed' },
  SecurityEventNotification: { type: 'StartupOfTheDevice', timestamp: now },
  SignCertificate: { csr: 'CSR' },
  LogStatusNotification: { status: 'Idle' },
  SignedFirmwareStatusNotification: { status: 'Downloaded' },
};

/** The same for OCPP 2.0.1 (schema ocpp2_0_1.json: every required field present). */
const V201_SEEDS: Record<string, Record<string, unknown>> = {
  BootNotification: { reason: 'PowerUp', chargingStation: { model: 'M1', vendorName: 'ACME' } },
  Heartbeat: {},
  StatusNotification: { timestamp: now, connectorStatus: 'Available', evseId: 1, connectorId: 1 },
  Authorize: { idToken: { idToken: '04A2B3C4D5E6F7', type: 'ISO14443' } },
  TransactionEvent: {
    eventType: 'Started', timestamp: now, triggerReason: 'Authorized', seqNo: 0, transactionInfo: { transactionId: 'TX-1', chargingState: 'Charging' },
    idToken: { idToken: '04A2B3C4D5E6F7', type: 'ISO14443' }, evse: { id: 1, connectorId: 1 },
    meterValue: [{ timestamp: now, sampledValue: [{ value: 100, context: 'Transaction.Begin', measurand: 'Energy.Active.Import.Register', unitOfMeasure: { unit: 'Wh' } }] }],
  },
  MeterValues: { evseId: 1, meterValue: [{ timestamp: now, sampledValue: [{ value: 150 }] }] },
  NotifyEvent: { generatedAt: now, seqNo: 0, eventData: [{ eventId: 1, timestamp: now, trigger: 'Delta', actualValue: 'Faulted', eventNotificationType: 'HardWiredNotification', component: { name: 'Connector', evse: { id: 1, connectorId: 1 } }, variable: { name: 'AvailabilityState' } }] },
  NotifyReport: { requestId: 1, generatedAt: now, seqNo: 0, reportData: [{ component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' }, variableAttribute: [{ value: '300' }] }] },
  SecurityEventNotification: { type: 'StartupOfTheDevice', timestamp: now },
  FirmwareStatusNotification: { status: 'Installed' },
  LogStatusNotification: { status: 'Uploaded', requestId: 1 },
  ReservationStatusUpdate: { reservationId: 1, reservationUpdateStatus: 'Expired' },
  DataTransfer: { vendorId: 'com.example' },
  GetCertificateStatus: { ocspRequestData: { hashAlgorithm: 'SHA256', issuerNameHash: 'a', issuerKeyHash: 'b', serialNumber: 'c', responderURL: 'http://x' } },
};

const garbage = fc.oneof(
  fc.string({ maxLength: 50 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant(''),
  fc.string({ minLength: 300, maxLength: 600 }), fc.array(fc.string(), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 3 }),
  fc.constantFrom('2026-13-45T99:99:99Z', '-1', 'NaN', '1e309', '<script>alert(1)</script>', '\u0000\uffff'),
);

type Mutation = { kind: 'drop' | 'replace' | 'extra' | 'deep'; path: number; value: unknown; key: string };

function paths(value: unknown, prefix: (string | number)[] = []): Array<(string | number)[]> {
  if (value === null || typeof value !== 'object') return [prefix];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return [prefix, ...entries.flatMap(([k, v]) => paths(v, [...prefix, k]))];
}

function mutate(seed: Record<string, unknown>, m: Mutation): unknown {
  const copy = structuredClone(seed);
  const all = paths(copy).filter((p) => p.length > 0);
  if (all.length === 0 || m.kind === 'extra') return { ...copy, [m.key || 'extra']: m.value };
  const path = all[m.path % all.length]!;
  let parent: any = copy;
  for (const k of path.slice(0, -1)) parent = parent[k];
  const last = path[path.length - 1]!;
  if (m.kind === 'drop') Array.isArray(parent) ? parent.splice(Number(last), 1) : delete parent[last];
  else parent[last] = m.value;
  return copy;
}

const mutation = fc.record({ kind: fc.constantFrom('drop', 'replace', 'extra', 'deep'), path: fc.nat(), value: garbage, key: fc.string({ maxLength: 10 }) }) as fc.Arbitrary<Mutation>;

let bridge: TestBridge;
beforeAll(async () => {
  bridge = await startTestBridge(siteConfig([{ identity: 'FUZZ-1', evses: 2 }, { identity: 'FUZZ-2', evses: 2 }, { identity: 'FUZZ-3', evses: 2 }, { identity: 'FUZZ-OK', evses: 1 }], {
    ocpp: { max_calls_per_second: 100_000, call_burst: 100_000, max_queued_calls: 100_000 },
  }));
});
afterAll(async () => {
  await bridge.close();
});

/** Sends raw frames on one WebSocket and collects the answers by message id. */
async function rawSocket(identity: string, protocol = 'ocpp1.6') {
  const ws = new WebSocket(`${bridge.ocppUrl}/${identity}`, [protocol]);
  const answers = new Map<string, unknown[]>();
  const waiters = new Map<string, (frame: unknown[]) => void>();
  ws.on('message', (data) => {
    let frame: unknown;
    try {
      frame = JSON.parse(data.toString());
    } catch {
      return;
    }
    if (Array.isArray(frame) && (frame[0] === 3 || frame[0] === 4) && typeof frame[1] === 'string') {
      answers.set(frame[1], frame);
      waiters.get(frame[1])?.(frame);
    }
    // a CALL from the bridge (e.g. GetConfiguration after a boot) is left unanswered: it times out harmlessly
  });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  return {
    ws,
    call(id: string, action: string, payload: unknown): Promise<unknown[]> {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no answer to ${action} ${JSON.stringify(payload).slice(0, 200)}`)), 5000);
        waiters.set(id, (frame) => {
          clearTimeout(timer);
          waiters.delete(id);
          resolve(frame);
        });
        ws.send(JSON.stringify([2, id, action, payload]));
      });
    },
  };
}

async function stillHealthy(): Promise<void> {
  const probe = await connectProbe({ url: bridge.ocppUrl, identity: 'FUZZ-OK' });
  expect((await probe.call('Heartbeat', {})).currentTime).toBeTypeOf('string');
  await probe.close();
  const health = await fetch(`${bridge.httpUrl}/healthz`);
  expect(health.status).toBe(200);
  const sqlite = (bridge.store as unknown as { sqlite: import('better-sqlite3').Database }).sqlite;
  expect(sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
  expect(sqlite.pragma('foreign_key_check')).toEqual([]);
}

describe('OCPP 1.6 fuzzing', () => {
  it('every unmutated seed is a valid call the bridge answers with a CALLRESULT', async () => {
    const socket = await rawSocket('FUZZ-1');
    for (const [action, payload] of Object.entries(V16_SEEDS)) expect([action, (await socket.call(`seed-${action}`, action, payload))[0]]).toEqual([action, 3]);
    socket.ws.close();
  });

  it(`answers ${RUNS} near-valid calls of every action with a CALLRESULT or CALLERROR`, async () => {
    const socket = await rawSocket('FUZZ-1');
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...Object.keys(V16_SEEDS)), mutation, async (action, m) => {
        const payload = mutate(V16_SEEDS[action]!, m);
        const frame = await socket.call(`f${n++}`, action, payload);
        return frame[0] === 3 || (frame[0] === 4 && typeof frame[2] === 'string');
      }),
      { numRuns: RUNS },
    );
    socket.ws.close();
    await stillHealthy();
  }, 300_000);

  it('answers arbitrary payloads and action names, and survives arbitrary frames', async () => {
    const socket = await rawSocket('FUZZ-2');
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.constantFrom(...Object.keys(V16_SEEDS)), fc.string({ minLength: 1, maxLength: 40 })), fc.jsonValue({ maxDepth: 3 }), async (action, payload) => {
        const frame = await socket.call(`a${n++}`, action, payload);
        return frame[0] === 3 || frame[0] === 4;
      }),
      { numRuns: Math.ceil(RUNS / 2) },
    );
    // frames that are not OCPP calls at all: the bridge ignores or rejects them, never crashes
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ maxLength: 200 }), fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v))), async (text) => {
        if (socket.ws.readyState === WebSocket.OPEN) socket.ws.send(text);
        return true;
      }),
      { numRuns: Math.ceil(RUNS / 4) },
    );
    socket.ws.close();
    await stillHealthy();
  }, 300_000);
});

describe('OCPP 2.0.1 fuzzing', () => {
  it('every unmutated seed is a valid call the bridge answers with a CALLRESULT', async () => {
    const socket = await rawSocket('FUZZ-3', 'ocpp2.0.1');
    for (const [action, payload] of Object.entries(V201_SEEDS)) expect([action, (await socket.call(`seed-${action}`, action, payload))[0]]).toEqual([action, 3]);
    socket.ws.close();
  });

  it(`answers ${RUNS} near-valid calls of every action with a CALLRESULT or CALLERROR`, async () => {
    const socket = await rawSocket('FUZZ-3', 'ocpp2.0.1');
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...Object.keys(V201_SEEDS)), mutation, async (action, m) => {
        const frame = await socket.call(`g${n++}`, action, mutate(V201_SEEDS[action]!, m));
        return frame[0] === 3 || (frame[0] === 4 && typeof frame[2] === 'string');
      }),
      { numRuns: RUNS },
    );
    socket.ws.close();
    await stillHealthy();
  }, 300_000);
});
