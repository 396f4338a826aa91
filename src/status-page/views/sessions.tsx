/**
 * Sessions: the live ones (energy, power, duration, cost so far from the OCPI session, power over the last
 * hour) with a remote stop, and the recent completed ones with their CDR delivery and Eichrecht result and the
 * signed meter values to download.
 */
import type { SessionView } from '../data.js';
import { duration, energy, power } from '../format.js';
import { Ago, At, chargerHref, Empty, Sparkline } from './common.js';

type Points = Array<{ atMs: number; w: number }>;

const where = (s: SessionView) => `${s.evseId ?? (s.evseOcppId !== null ? `EVSE ${s.evseOcppId}` : 'EVSE ?')}`;
const cost = (s: SessionView) => (s.cost ? `${s.cost.amount.toFixed(2)} ${s.cost.currency}` : '–');

export function LiveSessionsTable({ sessions, nowMs, timeZone, sparks, actions }: { sessions: SessionView[]; nowMs: number; timeZone: string; sparks?: Map<number, Points>; actions?: boolean }) {
  return (
    <div class="scroll">
      <table class="sessions live-sessions">
        <thead>
          <tr><th>Charger</th><th>EVSE</th><th>Token</th><th>Started</th><th>Duration</th><th>Energy</th><th>Power</th><th>Cost so far</th>{sparks ? <th>Power, last hour</th> : null}{actions ? <th></th> : null}</tr>
        </thead>
        <tbody>
          {sessions.map((s) => (
            <tr id={`tx-${s.txRowId}`} data-tx={s.txRowId}>
              <td><a href={chargerHref(s.identity)}>{s.identity}</a></td>
              <td>{where(s)}</td>
              <td>{s.idTag ?? '–'}{s.authStatus && s.authStatus !== 'Accepted' ? <span class="badge warn"> {s.authStatus}</span> : null}</td>
              <td><Ago atMs={s.startedAtMs} nowMs={nowMs} timeZone={timeZone} /></td>
              <td><span data-since={s.startedAtMs ?? undefined}>{s.startedAtMs ? duration((nowMs - s.startedAtMs) / 1000) : '–'}</span></td>
              <td class="num" data-field="energy">{energy(s.energyWh)}</td>
              <td class="num" data-field="power">{power(s.powerW)}</td>
              <td class="num" title="as of the last OCPI session update">{cost(s)}</td>
              {sparks ? <td><Sparkline points={sparks.get(s.txRowId) ?? []} fromMs={nowMs - 3600_000} toMs={nowMs} /></td> : null}
              {actions ? <td><a class="button danger" href={`/sessions/${s.txRowId}/stop`}>Stop…</a></td> : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function CdrCell({ s, timeZone }: { s: SessionView; timeZone: string }) {
  if (s.cdr === undefined) return <span class="muted">n/a</span>;
  if (s.cdr === null) return <span class="muted">{s.status === 'ended' ? 'not yet' : '–'}</span>;
  if (s.cdr.delivered) return <span class="ok" title={s.cdr.id}>✔ delivered <At atMs={s.cdr.deliveredAtMs} timeZone={timeZone} /></span>;
  if (s.cdr.nextAttemptAtMs === null) return <span class="muted" title={s.cdr.id}>kept (no eMSP to send to)</span>;
  return <span class="warn" title={s.cdr.lastError ?? ''}>⚠ pending, {s.cdr.attempts} attempt{s.cdr.attempts === 1 ? '' : 's'}{s.cdr.lastError ? `: ${s.cdr.lastError}` : ''}</span>;
}

function EichrechtCell({ s }: { s: SessionView }) {
  const g = s.signed;
  if (!g || g.count === 0) return <span class="muted">no signed data</span>;
  return (
    <span>
      {g.failed ? <span class="bad">✖ {g.failed} failed</span> : g.unchecked ? <span class="warn">… {g.unchecked} unchecked</span> : <span class="ok">✔ {g.verified} verified</span>}
      {' '}<a href={`/sessions/${s.txRowId}/signed.json`} download>JSON</a>
      {' · '}<a href={`/sessions/${s.txRowId}/signed.xml`} download>Transparenzsoftware XML</a>
    </span>
  );
}

export function RecentSessionsTable({ sessions, timeZone }: { sessions: SessionView[]; timeZone: string }) {
  return (
    <div class="scroll">
      <table class="sessions recent-sessions">
        <thead><tr><th>Charger</th><th>EVSE</th><th>Token</th><th>Started</th><th>Ended</th><th>Energy</th><th>Cost</th><th>Stop reason</th><th>CDR</th><th>Eichrecht</th></tr></thead>
        <tbody>
          {sessions.map((s) => (
            <tr id={`tx-${s.txRowId}`}>
              <td><a href={chargerHref(s.identity)}>{s.identity}</a></td>
              <td>{where(s)}</td>
              <td>{s.idTag ?? '–'}</td>
              <td><At atMs={s.startedAtMs} timeZone={timeZone} /></td>
              <td><At atMs={s.endedAtMs} timeZone={timeZone} /></td>
              <td class="num">{energy(s.energyWh)}</td>
              <td class="num">{cost(s)}</td>
              <td>{s.stopReason ?? '–'}</td>
              <td><CdrCell s={s} timeZone={timeZone} /></td>
              <td><EichrechtCell s={s} /></td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function SessionsPage(p: { active: SessionView[]; activeTotal: number; recent: SessionView[]; sparks: Map<number, Points>; nowMs: number; timeZone: string }) {
  return (
    <>
      <section id="r-sessions-live" data-region>
        <h1>Sessions <span class="muted">· {p.activeTotal} charging now</span></h1>
        {p.active.length ? <LiveSessionsTable sessions={p.active} nowMs={p.nowMs} timeZone={p.timeZone} sparks={p.sparks} actions /> : <Empty>No session running.</Empty>}
        {p.activeTotal > p.active.length ? <p class="muted">Showing the first {p.active.length} of {p.activeTotal}; /status.json lists all.</p> : null}
      </section>
      <section id="r-sessions-recent" data-region>
        <h2>Recently completed</h2>
        {p.recent.length ? <RecentSessionsTable sessions={p.recent} timeZone={p.timeZone} /> : <Empty>No completed session yet.</Empty>}
      </section>
    </>
  );
}
