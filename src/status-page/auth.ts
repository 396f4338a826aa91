/**
 * Access to the status page, separate from OCPI's tokens: a login form that opens a server-side session
 * (random id in an HttpOnly, SameSite=Strict cookie; sessions live in memory, a restart logs everyone out), or
 * HTTP Basic on GET requests for scripts (`curl -u tech:... /status.json`). Every POST needs a session, its CSRF
 * token in the form and, when the browser sends them, a same-origin Origin / Sec-Fetch-Site.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Clock } from '../domain/ports.js';
import type { Log } from '../log.js';
import { verifyPassword, type PageUser } from './passwords.js';

export interface Flash {
  kind: 'ok' | 'warn' | 'error';
  text: string;
}

export interface WebSession {
  id: string;
  user: string;
  csrf: string;
  createdAtMs: number;
  lastSeenAtMs: number;
  flash?: Flash;
}

export type PageEnv = { Variables: { user: string; session?: WebSession } };

const COOKIE = 'bridge_status_session';
const IDLE_MS = 12 * 3600_000;
const MAX_AGE_MS = 7 * 24 * 3600_000;
const MAX_SESSIONS = 1000;
const FAILURES_PER_MINUTE = 10;
const BASIC_CACHE_MS = 5 * 60_000;
// A hash to compare against when the user name is unknown, so that the answer takes as long as for a known one.
const DUMMY_HASH = 'scrypt:AAAAAAAAAAAAAAAAAAAAAA==:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

const equal = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** Only a local path may be a redirect target (no `//host` or scheme: no open redirect). */
export function safeNext(next: string | undefined): string {
  return next && /^\/(?![/\\])[\x21-\x7e]*$/.test(next) ? next : '/';
}

export function remoteAddress(c: Context): string {
  return (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming?.socket?.remoteAddress ?? 'local';
}

export function createAuth(deps: { users: PageUser[]; clock: Clock; log: Log }) {
  const { clock, log } = deps;
  const sessions = new Map<string, WebSession>();
  const failures = new Map<string, { count: number; sinceMs: number }>();
  const basicOk = new Map<string, { user: string; untilMs: number }>();
  const now = () => clock.now().getTime();

  async function check(name: string, password: string): Promise<boolean> {
    const user = deps.users.find((u) => equal(u.name, name));
    const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
    return Boolean(user) && ok;
  }

  function limited(remote: string): boolean {
    const f = failures.get(remote);
    return Boolean(f && now() - f.sinceMs < 60_000 && f.count >= FAILURES_PER_MINUTE);
  }

  function failed(remote: string): void {
    const f = failures.get(remote);
    if (!f || now() - f.sinceMs >= 60_000) {
      if (failures.size > 10_000) failures.clear();
      failures.set(remote, { count: 1, sinceMs: now() });
    } else f.count++;
  }

  function sessionOf(c: Context): WebSession | undefined {
    const id = getCookie(c, COOKIE);
    const s = id ? sessions.get(id) : undefined;
    if (!s) return undefined;
    if (now() - s.lastSeenAtMs > IDLE_MS || now() - s.createdAtMs > MAX_AGE_MS) {
      sessions.delete(s.id);
      return undefined;
    }
    s.lastSeenAtMs = now();
    return s;
  }

  async function basicUser(header: string | undefined): Promise<string | undefined> {
    const m = header && /^Basic ([A-Za-z0-9+/=]+)$/i.exec(header.trim());
    if (!m) return undefined;
    const key = createHash('sha256').update(m[1]!).digest('base64');
    const hit = basicOk.get(key);
    if (hit && hit.untilMs > now()) return hit.user;
    const text = Buffer.from(m[1]!, 'base64').toString('utf8');
    const colon = text.indexOf(':');
    if (colon < 0) return undefined;
    const name = text.slice(0, colon);
    if (!(await check(name, text.slice(colon + 1)))) return undefined;
    if (basicOk.size > 100) basicOk.clear();
    basicOk.set(key, { user: name, untilMs: now() + BASIC_CACHE_MS });
    return name;
  }

  /** Same-origin POST: the browser's Origin (when sent) names this host, and Sec-Fetch-Site (when sent) agrees. */
  function sameOrigin(c: Context): boolean {
    const site = c.req.header('sec-fetch-site');
    if (site && site !== 'same-origin' && site !== 'none') return false;
    const origin = c.req.header('origin');
    if (!origin) return true;
    try {
      return new URL(origin).host === (c.req.header('host') ?? new URL(c.req.url).host);
    } catch {
      return false;
    }
  }

  const requireUser: MiddlewareHandler<PageEnv> = async (c, next) => {
    const session = sessionOf(c);
    if (session) {
      c.set('user', session.user);
      c.set('session', session);
      return next();
    }
    const authorization = c.req.header('authorization');
    if ((c.req.method === 'GET' || c.req.method === 'HEAD') && authorization) {
      // Basic is a password guess like the login form: the same per-address limit applies to it.
      const remote = remoteAddress(c);
      if (limited(remote)) return c.text('too many failed logins from this address: wait a minute', 429);
      const user = await basicUser(authorization);
      if (user) {
        c.set('user', user);
        return next();
      }
      if (/^\s*Basic\s/i.test(authorization)) {
        failed(remote);
        log.warn({ remote }, 'status page Basic authentication failed');
      }
    }
    const wantsPage = c.req.method === 'GET' && (c.req.header('accept') ?? '').includes('text/html') && !c.req.header('x-live');
    if (wantsPage) return c.redirect(`/login?next=${encodeURIComponent(safeNext(new URL(c.req.url).pathname + new URL(c.req.url).search))}`, 302);
    c.header('WWW-Authenticate', 'Basic realm="bridge status page", charset="UTF-8"');
    return c.text('login required', 401);
  };

  /** For POST routes, after requireUser: a browser session, its CSRF token, same origin. */
  const requireCsrf: MiddlewareHandler<PageEnv> = async (c, next) => {
    const session = c.get('session');
    if (!session) return c.text('actions need a logged-in browser session (log in at /login)', 403);
    if (!sameOrigin(c)) return c.text('cross-site request refused', 403);
    const body = await c.req.parseBody();
    const token = typeof body._csrf === 'string' ? body._csrf : '';
    if (!equal(token, session.csrf)) return c.text('missing or wrong CSRF token: reload the page and try again', 403);
    return next();
  };

  return {
    requireUser,
    requireCsrf,
    sessionOf,
    sameOrigin,
    /** Checks the credentials (rate limited per address) and opens a session with its cookie. */
    async login(c: Context, name: string, password: string): Promise<'ok' | 'bad' | 'limited'> {
      const remote = remoteAddress(c);
      if (limited(remote)) return 'limited';
      if (!(await check(name, password))) {
        failed(remote);
        log.warn({ user: name.slice(0, 64), remote }, 'status page login failed');
        return 'bad';
      }
      if (sessions.size >= MAX_SESSIONS) {
        const oldest = [...sessions.values()].sort((a, b) => a.lastSeenAtMs - b.lastSeenAtMs)[0];
        if (oldest) sessions.delete(oldest.id);
      }
      const session: WebSession = { id: randomBytes(32).toString('base64url'), user: name, csrf: randomBytes(32).toString('base64url'), createdAtMs: now(), lastSeenAtMs: now() };
      sessions.set(session.id, session);
      const secure = new URL(c.req.url).protocol === 'https:' || c.req.header('x-forwarded-proto') === 'https';
      setCookie(c, COOKIE, session.id, { httpOnly: true, sameSite: 'Strict', path: '/', secure });
      log.info({ user: name, remote }, 'status page login');
      return 'ok';
    },
    logout(c: Context): void {
      const s = sessionOf(c);
      if (s) sessions.delete(s.id);
      deleteCookie(c, COOKIE, { path: '/' });
    },
    /** Takes the one-time message of the session (shown once after an action). */
    takeFlash(c: Context<PageEnv>): Flash | undefined {
      const s = c.get('session');
      const flash = s?.flash;
      if (s) s.flash = undefined;
      return flash;
    },
  };
}

export type Auth = ReturnType<typeof createAuth>;
