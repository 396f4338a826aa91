/**
 * The technicians' status page on the HTTP port: server-rendered HTML (hono/jsx, every value escaped), live
 * updates over SSE (live.ts), actions behind a confirmation page and CSRF-checked POSTs, /status.json for
 * scripts. Protected by its own users (auth.ts), never by OCPI credentials. Only exact paths are routed — no
 * wildcard middleware — so /healthz, /metrics and /ocpi/* are never caught here.
 * May import domain/, log.ts, hono; never ocpp/, ocpi/ or store/.
 */
import { Hono, type Context } from 'hono';
import type { MiddlewareHandler } from 'hono';
import type { Child } from 'hono/jsx';
import { streamSSE } from 'hono/streaming';
import { buildTransparencyXml } from '../domain/eichrecht/transparency-export.js';
import { actionQuery, describeAction, parseAction, runAction, stopSession } from './actions.js';
import { STATUS_CSS, STATUS_JS } from './assets.js';
import { createAuth, safeNext, type PageEnv } from './auth.js';
import { chargerViews, emspViews, overviewView, powerSeries, prettyFrame, sessionViews, siteTimeZone, trafficView, withIsoTimes, type PageDeps, type ChargerState } from './data.js';
import { createLiveHub, type LiveHub } from './live.js';
import { allReportsJson, reportViews } from './reports.js';
import { resolveUsers } from './passwords.js';
import { ChargerDetail, ChargersTable } from './views/chargers.js';
import { Layout, type Frame } from './views/common.js';
import { EmspsPage } from './views/emsps.js';
import { ConfirmPage, LoginPage, NotFound } from './views/forms.js';
import { Overview } from './views/overview.js';
import { SessionsPage } from './views/sessions.js';

export interface StatusPageDeps extends PageDeps {
  /** Config `status_page.users`; none: a generated user (see passwords.ts). */
  users?: Array<{ name: string; password_hash: string }>;
}

export interface StatusPage {
  app: Hono<PageEnv>;
  /** The generated password, only on the start that created it (to print once). */
  generatedPassword?: string;
  generatedUser?: string;
  hub: LiveHub;
  close(): void;
}

type C = Context<PageEnv>;
interface View { title: string; nav?: Frame['nav']; live?: string; status?: 200 | 400 | 404; body: Child }

const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
const PARTIAL_CACHE_MS = 250;

const secure: MiddlewareHandler = async (c, next) => {
  await next();
  c.res.headers.set('Content-Security-Policy', CSP);
  c.res.headers.set('X-Content-Type-Options', 'nosniff');
  c.res.headers.set('Referrer-Policy', 'same-origin');
  c.res.headers.set('X-Frame-Options', 'DENY');
  if (!c.res.headers.has('Cache-Control')) c.res.headers.set('Cache-Control', 'no-store');
};

export async function createStatusPage(deps: StatusPageDeps): Promise<StatusPage> {
  const { store, clock, log } = deps;
  const { users, generatedPassword } = await resolveUsers(deps.users, store, clock);
  const auth = createAuth({ users, clock, log });
  const hub = createLiveHub(deps.events, { flushMs: deps.liveFlushMs });
  const timeZone = siteTimeZone(store);
  const closers = new Set<() => void>();
  const partials = new Map<string, { html: string; atMs: number; status: number }>();
  const now = () => clock.now().getTime();
  const app = new Hono<PageEnv>();
  const guard = auth.requireUser;

  /** A full page, or with `X-Live: 1` only its <main> (shared by every open page for a moment). */
  async function respond(c: C, build: () => View): Promise<Response> {
    if (c.req.header('x-live')) {
      const key = new URL(c.req.url).pathname + new URL(c.req.url).search;
      const hit = partials.get(key);
      if (hit && Date.now() - hit.atMs < PARTIAL_CACHE_MS) return c.html(hit.html, hit.status as 200);
      const v = build();
      const html = await (<main id="main">{v.body}</main>).toString();
      if (partials.size > 200) partials.clear();
      partials.set(key, { html, atMs: Date.now(), status: v.status ?? 200 });
      return c.html(html, v.status ?? 200);
    }
    const v = build();
    const session = c.get('session');
    const page = <Layout title={v.title} nav={v.nav} live={v.live} user={c.get('user')} csrf={session?.csrf} flash={auth.takeFlash(c)} timeZone={timeZone} nowMs={now()}>{v.body}</Layout>;
    return c.html(`<!doctype html>${await page.toString()}`, v.status ?? 200);
  }

  const notFound = (what: string): View => ({ title: 'Not found', status: 404, body: <NotFound what={what} /> });
  const chargerOf = (identity: string) => chargerViews(deps, now(), identity)[0];

  app.get('/assets/status.css', (c) => c.body(STATUS_CSS, 200, { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff' }));
  app.get('/assets/status.js', (c) => c.body(STATUS_JS, 200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff' }));

  app.get('/login', secure, async (c) => {
    const next = safeNext(c.req.query('next'));
    if (auth.sessionOf(c)) return c.redirect(next, 302);
    return c.html(`<!doctype html>${await (<LoginPage next={next} />).toString()}`);
  });
  app.post('/login', secure, async (c) => {
    const body = await c.req.parseBody();
    const next = safeNext(typeof body.next === 'string' ? body.next : undefined);
    if (!auth.sameOrigin(c)) return c.text('cross-site request refused', 403);
    const result = await auth.login(c, String(body.user ?? ''), String(body.password ?? ''));
    if (result === 'ok') return c.redirect(next, 303);
    const error = result === 'limited' ? 'Too many failed attempts from this address: wait a minute.' : 'Wrong user or password.';
    return c.html(`<!doctype html>${await (<LoginPage next={next} error={error} />).toString()}`, result === 'limited' ? 429 : 401);
  });
  app.post('/logout', secure, guard, auth.requireCsrf, (c) => {
    auth.logout(c);
    return c.redirect('/login', 303);
  });

  app.get('/', secure, guard, (c) => respond(c, () => {
    const t = now();
    const active = store.listActiveTransactions();
    const o = overviewView(deps, t, timeZone, undefined, active);
    const s = sessionViews(deps, { activeLimit: 10, recentLimit: 0 }, active);
    return { title: 'Overview', nav: 'overview', live: 'overview', body: <Overview o={o} sessions={s.active} activeTotal={s.activeTotal} timeZone={timeZone} /> };
  }));

  app.get('/chargers', secure, guard, (c) => respond(c, () => {
    const t = now();
    const state = c.req.query('state') as ChargerState | undefined;
    const q = c.req.query('q')?.trim().toLowerCase();
    const all = chargerViews(deps, t);
    const shown = all.filter((x) => (!state || x.state === state) && (!q || x.identity.toLowerCase().includes(q)));
    return { title: 'Chargers', nav: 'chargers', live: 'chargers', body: <ChargersTable chargers={shown} total={all.length} nowMs={t} timeZone={timeZone} filter={{ state, q }} /> };
  }));

  app.get('/chargers/:identity', secure, guard, (c) => respond(c, () => {
    const identity = c.req.param('identity');
    const t = now();
    const charger = chargerOf(identity);
    if (!charger) return notFound(`No charger "${identity}" is known to this bridge.`);
    const record = store.getCharger(identity)!;
    const action = c.req.query('action') || undefined;
    let configuration = null;
    if (record.configurationJson) {
      const { text, truncated } = prettyFrame(record.configurationJson);
      configuration = { text, truncated, atMs: record.configurationAtMs };
    }
    const s = sessionViews(deps, { identity, activeLimit: 50, recentLimit: 10 });
    return {
      title: identity, nav: 'chargers', live: `charger:${identity}`,
      body: <ChargerDetail c={charger} sessions={s} sparks={powerSeries(deps, identity, t - 3600_000)} faults={store.listFaults({ identity, limit: 50 })}
        configuration={configuration} reports={reportViews(store, identity)} traffic={{ action, ...trafficView(deps, identity, action, 100) }} nowMs={t} timeZone={timeZone} />,
    };
  }));

  app.get('/chargers/:identity/messages/:id', secure, guard, (c) => {
    const m = /^\d+$/.test(c.req.param('id')) ? store.getOcppMessage(Number(c.req.param('id'))) : undefined;
    if (!m || m.chargerIdentity !== c.req.param('identity')) return respond(c, () => notFound('No such message in the log (it may have been trimmed).'));
    const name = `${m.chargerIdentity}-${m.id}-${m.action ?? m.kind}.json`.replace(/[^A-Za-z0-9._-]/g, '_');
    return c.body(m.payload, 200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Disposition': `attachment; filename="${name}"` });
  });

  app.get('/chargers/:identity/configuration.json', secure, guard, (c) => {
    const record = store.getCharger(c.req.param('identity'));
    if (!record?.configurationJson) return respond(c, () => notFound('No configuration reported by this charger.'));
    const name = `${record.identity}-configuration.json`.replace(/[^A-Za-z0-9._-]/g, '_');
    return c.body(record.configurationJson, 200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Disposition': `attachment; filename="${name}"` });
  });

  app.get('/chargers/:identity/reports/:file', secure, guard, (c) => {
    const identity = c.req.param('identity');
    const kind = c.req.param('file').replace(/\.json$/, '');
    const json = store.getCharger(identity) ? allReportsJson(store, identity, kind) : undefined;
    if (!json) return respond(c, () => notFound('No such report kept for this charger.'));
    const name = `${identity}-${kind}.json`.replace(/[^A-Za-z0-9._-]/g, '_');
    return c.body(json, 200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Disposition': `attachment; filename="${name}"` });
  });

  app.get('/chargers/:identity/confirm/:action', secure, guard, (c) => respond(c, () => {
    const identity = c.req.param('identity');
    const charger = chargerOf(identity);
    if (!charger) return notFound(`No charger "${identity}" is known to this bridge.`);
    const r = parseAction(c.req.param('action'), c.req.query(), charger);
    const back = `/chargers/${encodeURIComponent(identity)}`;
    if ('error' in r) return { title: 'Bad request', status: 400, body: <section class="notfound"><h1>Cannot do that</h1><p>{r.error}</p><p><a href={back}>Back</a></p></section> };
    const d = describeAction(identity, r, store.listActiveTransactions(identity).length);
    const session = c.get('session');
    return {
      title: d.label,
      body: session ? (
        <ConfirmPage question={d.question} danger={d.danger} csrf={session.csrf} cancel={back} action={`${back}/actions/${r.name}${actionQuery(r)}`}
          detail={<><p>{d.detail}</p>{charger.connected ? null : <p class="flash warn">⚠ {identity} is offline right now: the command cannot be delivered.</p>}</>} />
      ) : <p>Actions need a browser session: <a href="/login">log in</a>.</p>,
    };
  }));

  app.post('/chargers/:identity/actions/:action', secure, guard, auth.requireCsrf, async (c) => {
    const identity = c.req.param('identity');
    const charger = chargerOf(identity);
    if (!charger) return respond(c, () => notFound(`No charger "${identity}" is known to this bridge.`));
    const r = parseAction(c.req.param('action'), c.req.query(), charger);
    if ('error' in r) return c.text(r.error, 400);
    const flash = await runAction(deps.commands, identity, r);
    log.info({ charger: identity, action: r.name, evse: r.evse, user: c.get('user'), outcome: flash.kind }, 'status page action');
    c.get('session')!.flash = flash;
    hub.touch(`charger:${identity}`, 'overview');
    return c.redirect(`/chargers/${encodeURIComponent(identity)}`, 303);
  });

  app.get('/sessions', secure, guard, (c) => respond(c, () => {
    const t = now();
    const s = sessionViews(deps, { activeLimit: 100, recentLimit: 50 });
    const sparks = new Map<number, Array<{ atMs: number; w: number }>>();
    const byCharger = new Map<string, ReturnType<typeof powerSeries>>();
    for (const v of s.active) {
      let series = byCharger.get(v.identity);
      if (!series) byCharger.set(v.identity, (series = powerSeries(deps, v.identity, t - 3600_000)));
      sparks.set(v.txRowId, (series.get(v.evseOcppId ?? 0) ?? []).filter((p) => v.startedAtMs === null || p.atMs >= v.startedAtMs));
    }
    return { title: 'Sessions', nav: 'sessions', live: 'sessions', body: <SessionsPage {...s} sparks={sparks} nowMs={t} timeZone={timeZone} /> };
  }));

  const txOf = (c: C) => (/^\d+$/.test(c.req.param('tx') ?? '') ? store.getTransaction(Number(c.req.param('tx'))) : undefined);

  app.get('/sessions/:tx/stop', secure, guard, (c) => respond(c, () => {
    const tx = txOf(c);
    if (!tx) return notFound('No such session.');
    const session = c.get('session');
    if (tx.status !== 'active') return { title: 'Session ended', body: <section class="notfound"><h1>This session has already ended.</h1><p><a href="/sessions">Sessions</a></p></section> };
    return {
      title: 'Stop session',
      body: session ? (
        <ConfirmPage question={`Stop the session on ${tx.chargerIdentity} (transaction ${tx.ocppTransactionId})?`} danger csrf={session.csrf} cancel="/sessions" action={`/sessions/${tx.id}/stop`}
          detail={<p>The charger ends the transaction; the driver is billed for the energy so far.</p>} />
      ) : <p>Actions need a browser session: <a href="/login">log in</a>.</p>,
    };
  }));

  app.post('/sessions/:tx/stop', secure, guard, auth.requireCsrf, async (c) => {
    const tx = txOf(c);
    if (!tx) return respond(c, () => notFound('No such session.'));
    const flash = tx.status === 'active' ? await stopSession(deps.commands, tx) : { kind: 'warn' as const, text: 'This session has already ended.' };
    log.info({ charger: tx.chargerIdentity, action: 'remote-stop', transaction: tx.ocppTransactionId, user: c.get('user'), outcome: flash.kind }, 'status page action');
    c.get('session')!.flash = flash;
    hub.touch('sessions', `charger:${tx.chargerIdentity}`);
    return c.redirect('/sessions', 303);
  });

  app.get('/sessions/:tx/signed.json', secure, guard, (c) => {
    const tx = txOf(c);
    if (!tx) return respond(c, () => notFound('No such session.'));
    const rows = store.listSignedReadings({ transactionRowId: tx.id });
    const body = JSON.stringify({
      charger: tx.chargerIdentity, transaction: tx.ocppTransactionId,
      signedMeterValues: rows.map((r) => ({
        sampledAt: new Date(r.sampledAtMs).toISOString(), context: r.context, ocppContext: r.ocppContext, evse: r.evseOcppId, raw: r.raw,
        encodingMethod: r.encodingMethod, signingMethod: r.signingMethod, publicKey: r.publicKey, verification: r.verification, verificationReason: r.verificationReason,
      })),
    }, null, 2);
    return c.body(body, 200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Disposition': `attachment; filename="signed-${tx.id}.json"` });
  });

  app.get('/sessions/:tx/signed.xml', secure, guard, (c) => {
    const tx = txOf(c);
    if (!tx) return respond(c, () => notFound('No such session.'));
    const rows = store.listSignedReadings({ transactionRowId: tx.id });
    const charger = store.getCharger(tx.chargerIdentity);
    const key = rows.find((r) => r.publicKey)?.publicKey ?? charger?.meterPublicKey ?? undefined;
    const result = buildTransparencyXml(rows.map((r) => ({ raw: r.raw, context: r.context as 'begin' | 'intermediate' | 'end', publicKey: r.publicKey ?? undefined })), { transactionId: tx.ocppTransactionId, publicKey: key });
    if (!result.ok) return c.text(`no export: ${result.message}`, 404);
    return c.body(result.xml, 200, { 'Content-Type': 'application/xml; charset=utf-8', 'Content-Disposition': `attachment; filename="${result.fileName.replace(/[^A-Za-z0-9._-]/g, '_')}"` });
  });

  app.get('/emsps', secure, guard, (c) => respond(c, () => {
    const cdrs = deps.sessions?.undeliveredCdrs();
    return { title: 'eMSPs', nav: 'emsps', live: 'emsps', body: <EmspsPage emsps={emspViews(deps)} cdrs={cdrs ? { undelivered: cdrs.count, oldestMs: cdrs.oldestMs } : null} nowMs={now()} timeZone={timeZone} /> };
  }));

  app.get('/status.json', secure, guard, (c) => {
    const t = now();
    const chargers = chargerViews(deps, t);
    const active = store.listActiveTransactions();
    const overview = overviewView(deps, t, timeZone, chargers, active);
    const sessions = sessionViews(deps, { activeLimit: Number.MAX_SAFE_INTEGER, recentLimit: 50 }, active);
    return c.json(withIsoTimes({
      generatedAtMs: t, timeZone, overview, chargers,
      sessions: { active: sessions.active, recent: sessions.recent }, emsps: emspViews(deps),
    }) as object);
  });

  app.get('/events', secure, guard, (c) => {
    const key = c.req.query('page') ?? 'overview';
    if (!/^(overview|chargers|sessions|emsps|charger:[^\r\n]{1,48})$/.test(key)) return c.text('unknown page', 400);
    return streamSSE(c, async (stream) => {
      await stream.writeSSE({ event: 'hello', data: key, retry: 3000 });
      const unsubscribe = hub.subscribe({ key, send: (event, data) => (event ? stream.writeSSE({ event, data }) : stream.write(': keep-alive\n\n').then(() => undefined)) });
      await new Promise<void>((resolve) => {
        const done = () => {
          closers.delete(done);
          resolve();
        };
        closers.add(done);
        stream.onAbort(done);
      });
      unsubscribe();
    });
  });

  return {
    app, hub, generatedPassword, generatedUser: generatedPassword ? users[0]!.name : undefined,
    close() {
      hub.close();
      for (const close of [...closers]) close();
    },
  };
}
