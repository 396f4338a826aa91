/**
 * A bare OCPP-J client for protocol-level tests (ocpp-rpc RPCClient, strict mode on): it sends exactly the
 * frames a test names and records every strict-validation failure, so a test fails if the bridge ever
 * answers off-schema. The charger simulator (firmware-sim/) is the realistic device; this is the probe.
 */
import rpc from 'ocpp-rpc';
import WebSocket from 'ws';

export interface ProbeOptions {
  url: string;
  identity: string;
  protocol?: 'ocpp1.6' | 'ocpp2.0.1';
  password?: string;
  strict?: boolean;
  handlers?: Record<string, (params: any) => Promise<Record<string, unknown>> | Record<string, unknown>>;
  wsOpts?: Record<string, unknown>;
  /** Calls in flight at once; OCPP allows one, a misbehaving charger sends more. */
  concurrency?: number;
}

export interface Probe {
  client: InstanceType<typeof rpc.RPCClient>;
  call<T = any>(action: string, params: Record<string, unknown>): Promise<T>;
  strictFailures: unknown[];
  received: Array<{ action: string; params: any }>;
  close(): Promise<void>;
}

export async function connectProbe(o: ProbeOptions): Promise<Probe> {
  const client = new rpc.RPCClient({
    endpoint: o.url, identity: o.identity, protocols: [o.protocol ?? 'ocpp1.6'], strictMode: o.strict ?? true,
    password: o.password, reconnect: false, callTimeoutMs: 10_000, wsOpts: o.wsOpts, callConcurrency: o.concurrency ?? 1,
  } as never);
  const strictFailures: unknown[] = [];
  const received: Probe['received'] = [];
  client.on('strictValidationFailure', (e: unknown) => strictFailures.push(e));
  for (const [action, handler] of Object.entries(o.handlers ?? {})) {
    client.handle(action, async ({ params }) => {
      received.push({ action, params });
      return handler(params);
    });
  }
  await client.connect();
  return {
    client, strictFailures, received,
    call: (action, params) => client.call(action, params) as Promise<any>,
    close: async () => {
      await client.close({ force: true });
    },
  };
}

/** Attempts a raw WebSocket upgrade and returns the HTTP status of a refusal, or 101 when it was accepted. */
export function upgradeStatus(url: string, protocols: string[], headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, protocols, { headers });
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('open', () => {
      resolve(101);
      ws.close();
    });
    ws.on('error', () => resolve(-1));
  });
}

export function basicAuth(identity: string, password: string): Record<string, string> {
  return { Authorization: `Basic ${Buffer.from(`${identity}:${password}`).toString('base64')}` };
}
