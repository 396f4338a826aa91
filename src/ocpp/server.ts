/**
 * The OCPP WebSocket endpoint `ws[s]://HOST:PORT/ocpp/{identity}` (CONTRACT.md): ocpp-rpc in strict mode,
 * the upgrade authenticated here (identity known, subprotocol offered, security profile 1-3), one live
 * connection per identity, every frame counted and logged, each call routed by its version's table.
 * A refused upgrade always gets an HTTP status (404 unknown identity, 401 failed authentication, 400 no
 * supported subprotocol), never an accept-then-close.
 */
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { Log } from '../log.js';
import type { Metrics } from '../metrics.js';
import type { ChargerService } from '../domain/chargers.js';
import type { AdapterContext, ProtocolAdapter } from './adapter.js';
import type { Connections } from './connections.js';
import { RPCServer, SUBPROTOCOLS, markOffSchemaAnswer, serverStrictValidators, type OcppClient, type OcppSubprotocol } from './rpc.js';
import { checkCredentials, type ChargerSecurity } from './security.js';
import type { MessageRecorder } from './message-recorder.js';
import { routeCalls } from './router.js';
import { createCallLimiter, createFailureLimiter } from './rate-limit.js';

export interface OcppServerOptions {
  host: string;
  port: number;
  tls?: { cert: string; key: string; ca?: string; port?: number };
  callTimeoutMs: number;
  pingIntervalS: number;
  maxFrameBytes: number;
  limits: { callsPerSecond: number; burst: number; maxQueued: number; authFailuresPerMinute: number };
  securityFor(identity: string): ChargerSecurity;
  chargers: ChargerService;
  connections: Connections;
  adapters: Record<OcppSubprotocol, ProtocolAdapter>;
  adapterContext: AdapterContext;
  recorder: MessageRecorder;
  metrics: Metrics;
  log: Log;
}

export interface OcppServer {
  /** The ports actually bound (plain ws and, when configured, wss). */
  ports: { ws?: number; wss?: number };
  listening(): boolean;
  /** Stops accepting, closes every charger connection with 1001 going away. */
  close(): Promise<void>;
}

const MAX_IDENTITY_LENGTH = 48; // SecurityCtrlr.Identity, OCPP 2.0.1 P2 A00

export async function startOcppServer(o: OcppServerOptions): Promise<OcppServer> {
  const { log, metrics } = o;
  const rpcServer = new RPCServer({
    protocols: SUBPROTOCOLS,
    strictMode: true,
    strictModeValidators: serverStrictValidators() as never,
    callTimeoutMs: o.callTimeoutMs,
    pingIntervalMs: o.pingIntervalS * 1000,
    respondWithDetailedErrors: false,
    callConcurrency: 1,
    wssOptions: { maxPayload: o.maxFrameBytes },
  } as never);

  const failures = createFailureLimiter(o.limits.authFailuresPerMinute, 60_000);
  rpcServer.auth(async (accept: (session: object, protocol?: string) => void, reject: (code: number, msg: string) => void, handshake: any) => {
    const identity: string = handshake.identity ?? '';
    const where = { charger: identity.slice(0, 64), remote: handshake.remoteAddress };
    const refuse = (status: number, text: string, why: string, extra: Record<string, unknown> = {}) => {
      if (status === 401 || status === 404) failures.failed(handshake.remoteAddress);
      log.warn({ ...where, ...extra }, `OCPP upgrade refused: ${why}`);
      reject(status, text);
    };
    if (failures.blocked(handshake.remoteAddress)) return refuse(429, 'Too Many Requests', 'too many failed attempts from this address');
    if (!identity || identity.length > MAX_IDENTITY_LENGTH || !/^[\x21-\x7e]+$/.test(identity) || /[/\\]/.test(identity)) {
      return refuse(404, 'Not found', 'invalid identity');
    }
    const protocol = SUBPROTOCOLS.find((p) => handshake.protocols.has(p));
    if (!protocol) {
      return refuse(400, 'No supported subprotocol (ocpp1.6, ocpp2.0.1)', 'no supported subprotocol', { offered: [...handshake.protocols] });
    }
    if (!o.chargers.admit(identity)) {
      return refuse(404, 'Not found', 'unknown charger identity');
    }
    const security = o.securityFor(identity);
    const socket = handshake.request.socket as TLSSocket;
    const verdict = checkCredentials(security, { identity, password: handshake.password, tls: socket.encrypted ? socket : undefined });
    if (!verdict.ok) {
      return refuse(401, 'Unauthorized', 'authentication failed', { profile: security.profile, why: verdict.why });
    }
    accept({ securityProfile: security.profile }, protocol);
  });

  rpcServer.on('client', (client: OcppClient) => onClient(client));
  rpcServer.on('upgradeAborted', (e: { error?: Error; identity?: string }) => log.debug({ charger: e.identity, err: e.error?.message }, 'OCPP upgrade aborted'));

  function onClient(client: OcppClient): void {
    const identity = client.identity;
    const protocol = client.protocol!;
    const adapter = o.adapters[protocol];
    // Handlers first, synchronously: frames received during the upgrade are replayed on the next tick (§3.4).
    routeCalls(client, adapter, o.adapterContext, metrics, log, createCallLimiter(o.limits.callsPerSecond, o.limits.burst, o.limits.maxQueued));
    o.recorder.attach(client);
    o.connections.add(identity, client);
    updateConnectedGauge();
    const securityProfile = Number(client.session.securityProfile ?? 0);
    o.chargers.connected(identity, protocol, securityProfile, client.handshake.remoteAddress);
    log.info({ charger: identity, protocol, securityProfile, remote: client.handshake.remoteAddress }, 'charger connected');
    client.on('close', ({ code, reason }: { code: number; reason: string }) => {
      if (o.connections.remove(identity, client)) {
        o.chargers.disconnected(identity);
        log.info({ charger: identity, code, reason: String(reason ?? '') }, 'charger disconnected');
      }
      updateConnectedGauge();
    });
    client.on('badMessage', ({ error }: { error: Error }) => {
      metrics.ocppMessages.inc({ action: 'unparseable', direction: 'in', outcome: 'bad-message' });
      log.warn({ charger: identity, err: error?.message }, 'unparseable OCPP frame');
    });
    client.on('strictValidationFailure', (e: { error: Error; method: string; outbound: boolean; isCall: boolean }) => {
      if (e.outbound) log.error({ charger: identity, action: e.method, err: e.error?.message }, 'the bridge produced an off-schema OCPP message');
      else {
        if (!e.isCall) markOffSchemaAnswer(e.error);
        log.warn({ charger: identity, action: e.method, err: e.error?.message }, e.isCall ? 'off-schema OCPP message refused' : 'off-schema answer to a command refused');
      }
    });
    adapter.afterConnect?.(client, o.adapterContext);
  }

  function updateConnectedGauge(): void {
    for (const [protocol, n] of Object.entries(o.connections.countByProtocol())) metrics.connectedChargers.set({ protocol }, n);
  }

  const servers: HttpServer[] = [];
  const ports: OcppServer['ports'] = {};
  const notWebSocket = (_req: unknown, res: import('node:http').ServerResponse) => {
    res.statusCode = 426;
    res.setHeader('Content-Type', 'text/plain');
    res.end('OCPP endpoint: connect a charger with a WebSocket to /ocpp/{identity} (subprotocol ocpp1.6 or ocpp2.0.1)\n');
  };
  const tlsOnMainPort = o.tls && o.tls.port === undefined;
  if (!tlsOnMainPort) {
    const plain = createHttpServer(notWebSocket);
    plain.on('upgrade', rpcServer.handleUpgrade);
    ports.ws = await listen(plain, o.host, o.port);
    servers.push(plain);
  }
  if (o.tls) {
    const secure = createHttpsServer({
      cert: readFileSync(o.tls.cert), key: readFileSync(o.tls.key), ca: o.tls.ca ? readFileSync(o.tls.ca) : undefined,
      minVersion: 'TLSv1.2',
      // Profiles 2 and 3 share the port: ask for a client certificate but decide in auth (reference/ocpp.md §3.5).
      requestCert: Boolean(o.tls.ca), rejectUnauthorized: false,
    }, notWebSocket);
    secure.on('upgrade', rpcServer.handleUpgrade);
    ports.wss = await listen(secure as unknown as HttpServer, o.host, tlsOnMainPort ? o.port : o.tls.port!);
    servers.push(secure as unknown as HttpServer);
  }

  let closed = false;
  return {
    ports,
    listening: () => !closed && servers.every((s) => s.listening),
    async close() {
      if (closed) return;
      closed = true;
      for (const s of servers) s.close();
      await Promise.allSettled(o.connections.all().map((c) => c.close({ code: 1001, reason: 'bridge shutting down', awaitPending: false })));
      await rpcServer.close({ code: 1001, reason: 'bridge shutting down', awaitPending: false, force: true });
      for (const s of servers) s.closeAllConnections?.();
      o.recorder.flush();
    },
  };
}

function listen(server: HttpServer, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port }, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}
