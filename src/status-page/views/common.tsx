/**
 * The page frame and the small pieces every view uses: state badges, OCPI status chips, instants that the
 * script keeps current ("3 s ago"), the power sparkline. hono/jsx escapes every text and attribute value;
 * nothing here writes raw HTML.
 */
import type { Child } from 'hono/jsx';
import type { OcpiEvseStatus } from '../../domain/ocpi-status.js';
import type { Flash } from '../auth.js';
import type { ChargerState } from '../data.js';
import { ago, localTime, power } from '../format.js';

export interface Frame {
  title: string;
  user: string;
  csrf?: string;
  /** The page's live-update key; none: a static page. */
  live?: string;
  flash?: Flash;
  timeZone: string;
  nowMs: number;
  nav?: 'overview' | 'chargers' | 'sessions' | 'emsps';
}

const NAV: Array<[NonNullable<Frame['nav']>, string, string]> = [
  ['overview', '/', 'Overview'], ['chargers', '/chargers', 'Chargers'], ['sessions', '/sessions', 'Sessions'], ['emsps', '/emsps', 'eMSPs'],
];

export function Layout(props: Frame & { children?: Child }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} · bridge status`}</title>
        <link rel="stylesheet" href="/assets/status.css" />
        <script src="/assets/status.js" defer></script>
      </head>
      <body data-live={props.live}>
        <header class="top">
          <a class="brand" href="/">⚡ Bridge status</a>
          <nav>
            {NAV.map(([key, href, label]) => <a href={href} aria-current={props.nav === key ? 'page' : undefined}>{label}</a>)}
          </nav>
          {props.live ? <span id="live" class="live off" title="live updates">● live</span> : null}
          {props.csrf ? (
            <form method="post" action="/logout" class="logout">
              <input type="hidden" name="_csrf" value={props.csrf} />
              <button type="submit">Log out {props.user}</button>
            </form>
          ) : <span class="muted">{props.user}</span>}
        </header>
        {props.flash ? <p class={`flash ${props.flash.kind}`} role="status" id="flash">{props.flash.text}</p> : null}
        <main id="main">{props.children}</main>
        <footer class="muted">Times in {props.timeZone} · rendered {localTime(props.nowMs, props.timeZone)}</footer>
      </body>
    </html>
  );
}

const STATE: Record<ChargerState, [string, string]> = {
  online: ['ok', '● online'], faulted: ['bad', '✖ faulted'], offline: ['warn', '⚠ offline'], never: ['off', '○ never connected'],
};

export function StateBadge({ state }: { state: ChargerState }) {
  const [cls, text] = STATE[state];
  return <span class={`badge ${cls}`} data-state={state}>{text}</span>;
}

const OCPI_CLASS: Record<OcpiEvseStatus, string> = {
  AVAILABLE: 'ok', CHARGING: 'info', RESERVED: 'purple', BLOCKED: 'warn', INOPERATIVE: 'warn', OUTOFORDER: 'bad', UNKNOWN: 'off', PLANNED: 'off', REMOVED: 'off',
};
const OCPI_ICON: Record<OcpiEvseStatus, string> = {
  AVAILABLE: '✔', CHARGING: '⚡', RESERVED: '◆', BLOCKED: '⛔', INOPERATIVE: '⏸', OUTOFORDER: '✖', UNKNOWN: '?', PLANNED: '…', REMOVED: '–',
};

export function OcpiChip({ status, count }: { status: OcpiEvseStatus; count?: number }) {
  return <span class={`chip ${OCPI_CLASS[status]}`} data-ocpi={status}>{OCPI_ICON[status]} {status}{count !== undefined ? <b> {count}</b> : null}</span>;
}

/** A relative instant ("3 s ago") that the page script keeps current; the absolute time is its tooltip. */
export function Ago({ atMs, nowMs, timeZone }: { atMs: number | null | undefined; nowMs: number; timeZone: string }) {
  if (atMs === null || atMs === undefined) return <span class="muted">never</span>;
  return <time datetime={new Date(atMs).toISOString()} data-at={atMs} title={localTime(atMs, timeZone)}>{ago(atMs, nowMs)}</time>;
}

export function At({ atMs, timeZone }: { atMs: number | null | undefined; timeZone: string }) {
  if (atMs === null || atMs === undefined) return <span class="muted">–</span>;
  return <time datetime={new Date(atMs).toISOString()}>{localTime(atMs, timeZone)}</time>;
}

/** Power over a window as a small SVG line, at most 120 points (the highest value per slot). */
export function Sparkline({ points, fromMs, toMs }: { points: Array<{ atMs: number; w: number }>; fromMs: number; toMs: number }) {
  const W = 120;
  const H = 28;
  const inWindow = points.filter((p) => p.atMs >= fromMs && p.atMs <= toMs);
  if (!inWindow.length) return <span class="spark-none muted">no power data in the last hour</span>;
  const slots = new Map<number, { atMs: number; w: number }>();
  for (const p of inWindow) {
    const slot = Math.floor(((p.atMs - fromMs) / (toMs - fromMs)) * 119);
    const had = slots.get(slot);
    if (!had || p.w > had.w) slots.set(slot, p);
  }
  const pts = [...slots.values()].sort((a, b) => a.atMs - b.atMs);
  const max = Math.max(1, ...pts.map((p) => p.w));
  const x = (t: number) => (((t - fromMs) / (toMs - fromMs)) * (W - 2) + 1).toFixed(1);
  const y = (w: number) => (H - 2 - (Math.max(0, w) / max) * (H - 4)).toFixed(1);
  const last = pts[pts.length - 1]!;
  const label = `power over the last hour: now ${power(last.w)}, peak ${power(max)}`;
  return (
    <svg class="spark" viewBox={`0 0 ${W} ${H}`} width={W} height={H} role="img" aria-label={label}>
      <title>{label}</title>
      <line x1="0" y1={H - 1} x2={W} y2={H - 1} class="axis" />
      <polyline points={pts.map((p) => `${x(p.atMs)},${y(p.w)}`).join(' ')} fill="none" stroke="currentColor" stroke-width="1.5" />
      <circle cx={x(last.atMs)} cy={y(last.w)} r="2" fill="currentColor" />
    </svg>
  );
}

export function Empty({ children }: { children?: Child }) {
  return <p class="empty muted">{children}</p>;
}

export const chargerHref = (identity: string) => `/chargers/${encodeURIComponent(identity)}`;
