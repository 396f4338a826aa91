/**
 * An in-test eMSP: a second Hono app on a real port (@hono/node-server, port 0) that speaks OCPI 2.2.1 and
 * 2.1.1 as an eMSP would: versions, version details, credentials (both handshake directions), and Receiver
 * endpoints for Locations and Tariffs that record what the bridge pushes. It also acts as the client side:
 * the eMSP-initiated registration with a token A, calls with the right Authorization form, and pulling every
 * page of a list by following `Link`. Knobs make it fail (HTTP status for pushes), slow or picky.
 */
import { serve, type ServerType } from '@hono/node-server';
import { Hono, type Context } from 'hono';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';

export type Version = '2.2.1' | '2.1.1';

export interface Recorded {
  method: string;
  path: string;
  version: Version | undefined;
  module: string | undefined;
  authorization: string | undefined;
  headers: Record<string, string>;
  body: any;
  at: number;
}

export interface EmspOptions {
  versions?: Version[];
  countryCode?: string;
  partyId?: string;
  /** A token A this eMSP accepts (for the bridge-initiated registration). */
  tokenA?: string;
  /** Offer a tokens Sender endpoint (the token list and real-time authorization) in the version details. */
  tokensSender?: boolean;
  /** Offer a chargingprofiles Sender endpoint (2.2.1): the CPO PUTs ActiveChargingProfile updates there. */
  chargingProfilesSender?: boolean;
}

/** What the in-test eMSP answers to `POST {tokens}/{uid}/authorize` (see `authorizeWith`). */
export type AuthorizeAnswer = { httpStatus?: number; body?: unknown; raw?: string; delayMs?: number };

export interface CallResult {
  status: number;
  headers: Headers;
  body: any;
}

export interface TestEmsp {
  url: string;
  versionsUrl: string;
  countryCode: string;
  partyId: string;
  /** Every request the bridge made to us. */
  received: Recorded[];
  /** Pushes received on the Receiver endpoints (locations, tariffs). */
  pushes(module?: string): Recorded[];
  /** When set, Receiver endpoints answer with this HTTP status (and an OCPI 3000 envelope). */
  failPushesWith: number | undefined;
  /** When set, the CDR Receiver answers POSTs with this HTTP status (an eMSP that is down for CDRs). */
  failCdrsWith: number | undefined;
  /** CDRs POSTed to us and acknowledged, in order. */
  cdrs(): any[];
  /** Delay before answering GET versions (to simulate a slow eMSP during the handshake). */
  versionsDelayMs: number;
  /** The token the bridge must send us (B from our POST, or C we issued), and the one we send the bridge. */
  tokenForBridgeToUse: string | undefined;
  tokenToCallBridge: string | undefined;
  /** The version negotiated in the last handshake. */
  version: Version | undefined;
  /** The bridge's credentials from the last handshake (data of the POST/PUT answer, or of its POST to us). */
  bridgeCredentials: any;
  /** eMSP-initiated registration: GET versions and details with token A, POST our credentials (token B). */
  register(bridgeVersionsUrl: string, tokenA: string, version?: Version): Promise<CallResult>;
  /** PUT new credentials (new token B): token rotation / version switch. */
  update(version?: Version): Promise<CallResult>;
  /** A call to the bridge with our current token in the right form for `version` (Base64 for 2.2.1, plain for 2.1.1). */
  call(method: string, url: string, opts?: { body?: unknown; rawBody?: string; token?: string; version?: Version; headers?: Record<string, string> }): Promise<CallResult>;
  /** GET a paginated list, following Link until it is absent. */
  pullAll(url: string, opts?: { version?: Version; limit?: number }): Promise<{ items: any[]; pages: CallResult[] }>;
  waitForPushes(n: number, module?: string, timeoutMs?: number): Promise<Recorded[]>;
  /** Makes us accept a token (e.g. a token B a test hands the bridge by hand). */
  acceptToken(token: string): void;
  /** Tokens served by our tokens Sender list (GET, paginated by `tokensPageSize`). */
  tokens: any[];
  tokensPageSize: number;
  /** Real-time authorization answers (default: ALLOWED for tokens in `tokens`, 404 / 2004 otherwise). */
  authorizeWith: ((uid: string, type: string | undefined, body: any) => AuthorizeAnswer | Promise<AuthorizeAnswer>) | undefined;
  /** Bodies POSTed to our result URLs (`resultUrl(name)`), by name. */
  results(name?: string): any[];
  resultUrl(name: string): string;
  waitForResult(name: string, timeoutMs?: number): Promise<any>;
  /** Our Credentials object for a version, carrying `token`. */
  credentials(version: Version, token: string): Record<string, unknown>;
  close(): Promise<void>;
}

const token = () => randomBytes(24).toString('base64url');
const stamp = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

export async function startEmsp(options: EmspOptions = {}): Promise<TestEmsp> {
  const versions = options.versions ?? ['2.2.1', '2.1.1'];
  const countryCode = options.countryCode ?? 'NL';
  const partyId = options.partyId ?? 'EMS';
  const acceptedTokens = new Set<string>(options.tokenA ? [options.tokenA] : []);
  const acknowledgedCdrs: any[] = [];
  const postedResults: Array<{ name: string; body: any }> = [];
  const app = new Hono();
  let base = '';

  const emsp: TestEmsp = {
    url: '', versionsUrl: '', countryCode, partyId, received: [], failPushesWith: undefined, failCdrsWith: undefined, versionsDelayMs: 0,
    cdrs: () => acknowledgedCdrs,
    tokens: [], tokensPageSize: 2, authorizeWith: undefined,
    results: (name) => postedResults.filter((r) => !name || r.name === name).map((r) => r.body),
    resultUrl: (name) => `${base}/results/${encodeURIComponent(name)}`,
    waitForResult: async (name, timeoutMs = 15_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const hit = postedResults.find((r) => r.name === name);
        if (hit) return hit.body;
        if (Date.now() > deadline) throw new Error(`no result posted to ${name} within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    tokenForBridgeToUse: undefined, tokenToCallBridge: undefined, version: undefined, bridgeCredentials: undefined,
    pushes: (module) => emsp.received.filter((r) => ['PUT', 'PATCH', 'DELETE'].includes(r.method) && (r.module === 'locations' || r.module === 'tariffs') && (!module || r.module === module)),
    register, update, call, pullAll, waitForPushes,
    acceptToken: (t) => void acceptedTokens.add(t),
    credentials: (version, t) => ourCredentials(version, t),
    close: () => new Promise((resolve) => {
      server.close(() => resolve());
      (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
    }),
  };

  const ourCredentials = (version: Version, tok: string) =>
    version === '2.2.1'
      ? { token: tok, url: `${base}/ocpi/versions`, roles: [{ role: 'EMSP', party_id: partyId, country_code: countryCode, business_details: { name: 'Test eMSP' } }] }
      : { token: tok, url: `${base}/ocpi/versions`, business_details: { name: 'Test eMSP' }, party_id: partyId, country_code: countryCode };
  const envelope = (data?: unknown, status_code = 1000) => ({ ...(data === undefined ? {} : { data }), status_code, status_message: status_code === 1000 ? 'Success' : 'Error', timestamp: stamp() });

  /** Accepts our tokens in either form (Base64 or plain), like a lenient real platform. */
  function authorized(c: Context): string | undefined {
    const m = c.req.header('Authorization')?.match(/^Token (\S+)$/);
    if (!m) return undefined;
    const raw = m[1]!;
    const decoded = Buffer.from(raw, 'base64').toString('utf8');
    return acceptedTokens.has(raw) ? raw : acceptedTokens.has(decoded) ? decoded : undefined;
  }

  app.use('*', async (c, next) => {
    const [, , v, module] = c.req.path.split('/');
    let body: unknown;
    if (['PUT', 'PATCH', 'POST'].includes(c.req.method)) body = await c.req.json().catch(() => undefined);
    emsp.received.push({
      method: c.req.method, path: c.req.path, version: (v === '2.2.1' || v === '2.1.1' ? v : undefined), module, authorization: c.req.header('Authorization'),
      headers: Object.fromEntries(c.req.raw.headers.entries()), body, at: Date.now(),
    });
    if (!authorized(c)) return c.json(envelope(undefined, 2000), 401);
    await next();
    c.header('X-Request-ID', c.req.header('X-Request-ID') ?? 'emsp-generated');
    c.header('X-Correlation-ID', c.req.header('X-Correlation-ID') ?? 'emsp-generated');
  });

  app.get('/ocpi/versions', async (c) => {
    if (emsp.versionsDelayMs) await new Promise((r) => setTimeout(r, emsp.versionsDelayMs));
    return c.json(envelope(versions.map((version) => ({ version, url: `${base}/ocpi/${version}` }))));
  });
  for (const version of versions) {
    app.get(`/ocpi/${version}`, (c) => c.json(envelope({
      version,
      endpoints: ['credentials', 'locations', 'tariffs', 'sessions', 'cdrs', ...(options.tokensSender ? ['tokens'] : []), ...(options.chargingProfilesSender && version === '2.2.1' ? ['chargingprofiles'] : [])]
        .map((identifier) => ({
          identifier, ...(version === '2.2.1' ? { role: ['credentials', 'tokens', 'chargingprofiles'].includes(identifier) ? 'SENDER' : 'RECEIVER' } : {}), url: `${base}/ocpi/${version}/${identifier}`,
        })),
    })));
    // Bridge-initiated registration: the bridge POSTs its credentials (token B) with our token A.
    app.post(`/ocpi/${version}/credentials`, async (c) => {
      const body = await c.req.json(); // hono caches the parsed body
      const bridgeToken = body.token as string;
      // Before answering, call the bridge back with its token B (credentials.asciidoc §Registration).
      try {
        const fromBridge = await call('GET', body.url, { token: bridgeToken, version });
        const mine = fromBridge.body.data.find((v: any) => v.version === version);
        await call('GET', mine.url, { token: bridgeToken, version });
      } catch {
        return c.json(envelope(undefined, 3001)); // unable to use the client's API
      }
      const issued = token();
      acceptedTokens.add(issued);
      if (options.tokenA) acceptedTokens.delete(options.tokenA);
      emsp.tokenForBridgeToUse = issued;
      emsp.tokenToCallBridge = bridgeToken;
      emsp.version = version;
      emsp.bridgeCredentials = body;
      return c.json(envelope(ourCredentials(version, issued)));
    });
    const receiver = (c: Context) => (emsp.failPushesWith ? c.json(envelope(undefined, 3000), emsp.failPushesWith as 500) : c.json(envelope()));
    app.on(['PUT', 'PATCH', 'GET'], `/ocpi/${version}/locations/*`, receiver);
    app.on(['PUT', 'DELETE', 'PATCH', 'GET'], `/ocpi/${version}/tariffs/*`, receiver);
    app.on(['PUT', 'PATCH', 'GET'], `/ocpi/${version}/sessions/*`, receiver);
    app.put(`/ocpi/${version}/chargingprofiles/*`, (c) => c.json(envelope()));
    // Tokens Sender: the list (paginated with Link, date_from honoured) and real-time authorization.
    app.get(`/ocpi/${version}/tokens`, (c) => {
      const from = c.req.query('date_from');
      const all = emsp.tokens.filter((t) => !from || Date.parse(t.last_updated) >= Date.parse(from));
      const offset = Number(c.req.query('offset') ?? 0);
      const limit = Math.min(Number(c.req.query('limit') ?? emsp.tokensPageSize), emsp.tokensPageSize);
      if (offset + limit < all.length) {
        const next = new URL(c.req.url);
        next.searchParams.set('offset', String(offset + limit));
        c.header('Link', `<${next.toString()}>; rel="next"`);
      }
      c.header('X-Total-Count', String(all.length));
      return c.json(envelope(all.slice(offset, offset + limit)));
    });
    app.post(`/ocpi/${version}/tokens/:uid/authorize`, async (c) => {
      const uid = decodeURIComponent(c.req.param('uid'));
      const body = await c.req.json().catch(() => undefined);
      const known = emsp.tokens.find((t) => t.uid.toUpperCase() === uid.toUpperCase());
      const answer: AuthorizeAnswer = emsp.authorizeWith
        ? await emsp.authorizeWith(uid, c.req.query('type'), body)
        : known ? { body: { allowed: 'ALLOWED', ...(version === '2.2.1' ? { token: known } : {}) } } : { httpStatus: 404, body: undefined };
      if (answer.delayMs) await new Promise((r) => setTimeout(r, answer.delayMs));
      if (answer.raw !== undefined) return c.body(answer.raw, (answer.httpStatus ?? 200) as 200, { 'Content-Type': 'application/json' });
      if (answer.httpStatus === 404) return c.json(envelope(undefined, 2004), 404);
      return c.json(envelope(answer.body), (answer.httpStatus ?? 200) as 200);
    });
    app.post(`/ocpi/${version}/cdrs`, async (c) => {
      if (emsp.failCdrsWith) return c.json(envelope(undefined, 3000), emsp.failCdrsWith as 500);
      const cdr = await c.req.json();
      acknowledgedCdrs.push(cdr);
      c.header('Location', `${base}/ocpi/${version}/cdrs/${encodeURIComponent(cdr.id)}`);
      return c.json(envelope(), 201);
    });
  }

  app.post('/results/:name', async (c) => {
    postedResults.push({ name: decodeURIComponent(c.req.param('name')), body: await c.req.json().catch(() => undefined) });
    return c.json(envelope());
  });

  async function call(method: string, url: string, opts: { body?: unknown; rawBody?: string; token?: string; version?: Version; headers?: Record<string, string> } = {}): Promise<CallResult> {
    const tok = opts.token ?? emsp.tokenToCallBridge;
    const version = opts.version ?? emsp.version ?? '2.2.1';
    const headers: Record<string, string> = { 'X-Request-ID': token(), 'X-Correlation-ID': token(), ...(opts.headers ?? {}) };
    if (tok !== undefined) headers.Authorization = `Token ${version === '2.2.1' ? Buffer.from(tok).toString('base64') : tok}`;
    const payload = opts.rawBody ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body));
    if (payload !== undefined) headers['Content-Type'] = 'application/json';
    const res = await fetch(url, { method, headers, body: payload });
    const text = await res.text();
    let body: any;
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
    return { status: res.status, headers: res.headers, body };
  }

  async function register(bridgeVersionsUrl: string, tokenA: string, version: Version = '2.2.1'): Promise<CallResult> {
    const list = await call('GET', bridgeVersionsUrl, { token: tokenA, version });
    const entry = list.body.data.find((v: any) => v.version === version);
    const details = await call('GET', entry.url, { token: tokenA, version });
    const credentialsUrl = details.body.data.endpoints.find((e: any) => e.identifier === 'credentials').url;
    const tokenB = token();
    acceptedTokens.add(tokenB);
    const res = await call('POST', credentialsUrl, { token: tokenA, version, body: ourCredentials(version, tokenB) });
    if (res.status === 200 && res.body.status_code === 1000) {
      emsp.tokenForBridgeToUse = tokenB;
      emsp.tokenToCallBridge = res.body.data.token;
      emsp.version = version;
      emsp.bridgeCredentials = res.body.data;
    } else {
      acceptedTokens.delete(tokenB);
    }
    return res;
  }

  async function update(version: Version = emsp.version ?? '2.2.1'): Promise<CallResult> {
    const credentialsUrl = `${String(emsp.bridgeCredentials.url).replace(/\/versions$/, '')}/${version}/credentials`;
    const tokenB = token();
    acceptedTokens.add(tokenB);
    const res = await call('PUT', credentialsUrl, { version, body: ourCredentials(version, tokenB) });
    if (res.status === 200 && res.body.status_code === 1000) {
      if (emsp.tokenForBridgeToUse) acceptedTokens.delete(emsp.tokenForBridgeToUse);
      emsp.tokenForBridgeToUse = tokenB;
      emsp.tokenToCallBridge = res.body.data.token;
      emsp.version = version;
      emsp.bridgeCredentials = res.body.data;
    }
    return res;
  }

  async function pullAll(url: string, opts: { version?: Version; limit?: number } = {}): Promise<{ items: any[]; pages: CallResult[] }> {
    const pages: CallResult[] = [];
    const items: any[] = [];
    let next: string | undefined = opts.limit ? `${url}${url.includes('?') ? '&' : '?'}limit=${opts.limit}` : url;
    while (next) {
      const page = await call('GET', next, { version: opts.version });
      if (page.status !== 200) throw new Error(`GET ${next} answered ${page.status}: ${JSON.stringify(page.body)}`);
      pages.push(page);
      items.push(...page.body.data);
      next = page.headers.get('Link')?.match(/<([^>]+)>;\s*rel="next"/)?.[1];
      if (pages.length > 1000) throw new Error('too many pages');
    }
    return { items, pages };
  }

  async function waitForPushes(n: number, module?: string, timeoutMs = 10_000): Promise<Recorded[]> {
    const deadline = Date.now() + timeoutMs;
    while (emsp.pushes(module).length < n) {
      if (Date.now() > deadline) throw new Error(`expected ${n} ${module ?? ''} pushes, got ${emsp.pushes(module).length}: ${JSON.stringify(emsp.pushes(module).map((p) => `${p.method} ${p.path}`))}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    return emsp.pushes(module);
  }

  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  emsp.url = base;
  emsp.versionsUrl = `${base}/ocpi/versions`;
  return emsp;
}
