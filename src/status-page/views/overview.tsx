/**
 * The overview: what a technician must see in ten seconds — tiles for chargers online / faulted / offline,
 * connectors by the OCPI status eMSPs see, sessions, energy today, undelivered CDRs, eMSP health — and the
 * list of problems, worst first, each linking to its charger.
 */
import { OCPI_STATUSES, type OverviewView, type SessionView } from '../data.js';
import { energy, power } from '../format.js';
import { Ago, chargerHref, Empty, OcpiChip } from './common.js';
import { LiveSessionsTable } from './sessions.js';

function Tile({ cls, label, value, sub, href, id }: { cls: string; label: string; value: string | number; sub?: string; href?: string; id: string }) {
  const body = (
    <>
      <span class="tile-label">{label}</span>
      <span class="tile-value" data-tile={id}>{value}</span>
      {sub ? <span class="tile-sub">{sub}</span> : null}
    </>
  );
  return href ? <a class={`tile ${cls}`} href={href}>{body}</a> : <div class={`tile ${cls}`}>{body}</div>;
}

export function Overview({ o, sessions, activeTotal, timeZone }: { o: OverviewView; sessions: SessionView[]; activeTotal: number; timeZone: string }) {
  const c = o.chargers;
  return (
    <>
      <section id="r-tiles" data-region>
        <h1 class="sr-only">Overview</h1>
        <div class="tiles">
          <Tile id="online" cls={c.online ? 'ok' : 'off'} label="✔ Online" value={c.online} sub={`of ${c.total} chargers`} href="/chargers?state=online" />
          <Tile id="faulted" cls={c.faulted ? 'bad' : 'off'} label="✖ Faulted" value={c.faulted} sub="online, reporting a fault" href="/chargers?state=faulted" />
          <Tile id="offline" cls={c.offline ? 'warn' : 'off'} label="⚠ Offline" value={c.offline} sub={c.never ? `+ ${c.never} never connected` : 'not connected'} href="/chargers?state=offline" />
          <Tile id="sessions" cls={o.sessions.active ? 'info' : 'off'} label="⚡ Sessions" value={o.sessions.active} sub={`now ${power(o.sessions.powerW)}`} href="/sessions" />
          <Tile id="energy" cls="info" label="Σ Energy today" value={energy(o.energyTodayWh)} sub="sessions running or ended today" />
          <Tile id="cdrs" cls={o.cdrs === null ? 'off' : o.cdrs.undelivered ? 'warn' : 'ok'} label="✉ Undelivered CDRs"
            value={o.cdrs === null ? 'n/a' : o.cdrs.undelivered} sub={o.cdrs === null ? 'CDR module not running' : o.cdrs.undelivered ? 'waiting for the eMSP' : 'all acknowledged'} />
          <Tile id="emsps" cls={o.emsps === null || o.emsps.registered === 0 ? 'off' : o.emsps.failing ? 'bad' : 'ok'} label="⇄ eMSPs"
            value={o.emsps === null ? 'n/a' : o.emsps.failing ? `${o.emsps.failing} failing` : o.emsps.registered ? `${o.emsps.registered} ok` : 'none'}
            sub={o.emsps === null ? 'OCPI not running' : `${o.emsps.registered} registered, ${o.emsps.queued} queued`} href="/emsps" />
        </div>
        <div class="chips" aria-label="connectors by OCPI status">
          <span class="muted">{o.connectors.total} connectors:</span>
          {OCPI_STATUSES.filter((s) => o.connectors.byStatus[s] > 0).map((s) => <OcpiChip status={s} count={o.connectors.byStatus[s]} />)}
        </div>
      </section>
      <section id="r-problems" data-region>
        <h2>What needs attention</h2>
        {o.problems.length === 0 ? <p class="allgood ok">✔ Nothing needs attention: no charger faulted or offline, no open fault.</p> : (
          <ul class="problems">
            {o.problems.map((p) => (
              <li class={p.severity}>
                <span class="icon" aria-hidden="true">{p.severity === 'bad' ? '✖' : '⚠'}</span>
                {p.identity ? <a href={chargerHref(p.identity)}>{p.identity}</a> : null} <span>{p.text}</span>
                {p.sinceMs ? <span class="muted"> · since <Ago atMs={p.sinceMs} nowMs={o.atMs} timeZone={timeZone} /></span> : null}
              </li>
            ))}
            {o.moreProblems ? <li class="muted">… and {o.moreProblems} more</li> : null}
          </ul>
        )}
        <p class="muted">{o.openFaults} open fault{o.openFaults === 1 ? '' : 's'} in total.</p>
      </section>
      <section id="r-live" data-region>
        <h2>Charging now</h2>
        {sessions.length ? <LiveSessionsTable sessions={sessions} nowMs={o.atMs} timeZone={timeZone} /> : <Empty>No session running.</Empty>}
        {activeTotal > sessions.length ? <p><a href="/sessions">All {activeTotal} sessions →</a></p> : null}
      </section>
    </>
  );
}
