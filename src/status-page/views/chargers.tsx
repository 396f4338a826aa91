/**
 * Chargers: the table of all chargers, and one charger in detail — its facts, EVSEs and connectors with
 * status and error codes, power sparkline, sessions, faults, configuration / device model, the reports it sent
 * (views/reports.tsx), and the OCPP traffic log (both directions, pretty-printed, filter by action, long frames
 * cut with a download link).
 */
import type { Fault } from '../../domain/model.js';
import type { ChargerView, SessionView, TrafficMessage } from '../data.js';
import { clip } from '../format.js';
import { Ago, At, chargerHref, Empty, OcpiChip, Sparkline, StateBadge } from './common.js';
import { LiveSessionsTable, RecentSessionsTable } from './sessions.js';
import type { ReportView } from '../reports.js';
import { ChargerReports } from './reports.js';

const securityText = (p: number | null) => (p === null ? '–' : ['0 (none)', '1 (Basic auth)', '2 (TLS + Basic auth)', '3 (TLS client certificate)'][p] ?? String(p));
const identityText = (c: ChargerView) => [c.vendor, c.model].filter(Boolean).join(' ') || '–';

export function ChargersTable({ chargers, nowMs, timeZone, filter, total }: { chargers: ChargerView[]; nowMs: number; timeZone: string; filter: { state?: string; q?: string }; total: number }) {
  return (
    <section id="r-chargers" data-region>
      <h1>Chargers <span class="muted">· {chargers.length === total ? total : `${chargers.length} of ${total}`}</span></h1>
      <form method="get" action="/chargers" class="filter">
        <label>Identity <input type="search" name="q" value={filter.q ?? ''} placeholder="CP-…" /></label>
        <label>State{' '}
          <select name="state">
            {[['', 'all'], ['online', 'online'], ['faulted', 'faulted'], ['offline', 'offline'], ['never', 'never connected']].map(([v, l]) => <option value={v} selected={(filter.state ?? '') === v}>{l}</option>)}
          </select>
        </label>
        <button type="submit">Filter</button>
      </form>
      {chargers.length === 0 ? <Empty>No charger matches.</Empty> : (
        <div class="scroll">
          <table class="chargers">
            <thead><tr><th>Identity</th><th>State</th><th>Connectors</th><th>Protocol</th><th>Vendor / model</th><th>Firmware</th><th>Last boot</th><th>Last heartbeat</th><th>Security profile</th><th>Faults</th></tr></thead>
            <tbody>
              {chargers.map((c) => (
                <tr data-charger={c.identity}>
                  <td><a href={chargerHref(c.identity)}>{c.identity}</a></td>
                  <td><StateBadge state={c.state} /></td>
                  <td class="chips-cell">{c.evses.map((e) => <span title={`EVSE ${e.ocppId}: ${e.status}`}><OcpiChip status={e.ocpiStatus} /></span>)}</td>
                  <td>{c.protocol ?? '–'}</td>
                  <td>{clip(identityText(c))}</td>
                  <td>{clip(c.firmwareVersion) || '–'}</td>
                  <td><Ago atMs={c.lastBootAtMs} nowMs={nowMs} timeZone={timeZone} /></td>
                  <td><Ago atMs={c.lastHeartbeatAtMs} nowMs={nowMs} timeZone={timeZone} /></td>
                  <td>{securityText(c.securityProfile)}</td>
                  <td>{c.openFaults ? <span class="badge bad">{c.openFaults}</span> : <span class="muted">0</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function Facts({ c, nowMs, timeZone }: { c: ChargerView; nowMs: number; timeZone: string }) {
  const rows: Array<[string, unknown]> = [
    ['Protocol', c.protocol ?? '–'],
    ['Vendor', c.vendor ?? '–'], ['Model', c.model ?? '–'], ['Serial number', c.serialNumber ?? '–'], ['Firmware', c.firmwareVersion ?? '–'],
    ['Security profile', securityText(c.securityProfile)],
    ['Boot', c.bootStatus ? `${c.bootStatus}${c.bootReason ? ` (${c.bootReason})` : ''}` : '–'],
    ['Last boot', <Ago atMs={c.lastBootAtMs} nowMs={nowMs} timeZone={timeZone} />],
    ['Last heartbeat', <Ago atMs={c.lastHeartbeatAtMs} nowMs={nowMs} timeZone={timeZone} />],
    ['Last message', <Ago atMs={c.lastSeenAtMs} nowMs={nowMs} timeZone={timeZone} />],
    [c.connected ? 'Connected since' : 'Offline since', <Ago atMs={c.connected ? c.connectedAtMs : c.disconnectedAtMs} nowMs={nowMs} timeZone={timeZone} />],
    ['Address', c.remoteAddress ?? '–'], ['Location', c.locationId ?? '–'], ['Whole charger', c.stationStatus ?? '–'],
    ['In config', c.configured ? 'yes' : 'no (accepted as unknown charger)'],
  ];
  return (
    <dl class="facts">
      {rows.map(([k, v]) => <><dt>{k}</dt><dd data-fact={k}>{v as string}</dd></>)}
    </dl>
  );
}

export interface ChargerDetailProps {
  c: ChargerView;
  sessions: { active: SessionView[]; recent: SessionView[] };
  sparks: Map<number, Array<{ atMs: number; w: number }>>;
  faults: Fault[];
  configuration: { text: string; truncated: boolean; atMs: number | null } | null;
  /** The newest report per kind the charger sent (absent: the section is left out). */
  reports?: ReportView[];
  traffic: { action?: string; actions: string[]; messages: TrafficMessage[] };
  nowMs: number;
  timeZone: string;
}

export function ChargerDetail(p: ChargerDetailProps) {
  const { c, nowMs, timeZone } = p;
  const base = chargerHref(c.identity);
  return (
    <>
      <section id="r-head" data-region>
        <h1>{c.identity} <StateBadge state={c.state} /></h1>
        {!c.connected ? <p class="flash warn">⚠ {c.identity} is not connected: commands cannot reach it until it connects again.</p> : null}
        <Facts c={c} nowMs={nowMs} timeZone={timeZone} />
        <div class="actions">
          <a class="button" href={`${base}/confirm/reset-soft`}>Reset (soft)…</a>
          <a class="button danger" href={`${base}/confirm/reset-hard`}>Reset (hard)…</a>
          <a class="button" href={`${base}/confirm/trigger-status`}>Trigger StatusNotification…</a>
        </div>
      </section>
      <section id="r-evses" data-region>
        <h2>EVSEs and connectors</h2>
        {c.evses.length === 0 ? <Empty>No EVSE known yet.</Empty> : (
          <div class="scroll">
            <table class="evses">
              <thead><tr><th>EVSE</th><th>OCPI status</th><th>Reported</th><th>Error code</th><th>Info / vendor</th><th>Connectors</th><th>Power, last hour</th><th>Actions</th></tr></thead>
              <tbody>
                {c.evses.map((e) => (
                  <tr data-evse={e.ocppId}>
                    <td>{e.ocppId} <span class="muted">{e.evseId ?? e.uid}</span>{e.configured ? null : <span class="badge warn"> not in config</span>}</td>
                    <td><OcpiChip status={e.ocpiStatus} /></td>
                    <td>{e.status} <span class="muted">· <Ago atMs={e.statusAtMs} nowMs={nowMs} timeZone={timeZone} /></span></td>
                    <td class={e.errorCode && e.errorCode !== 'NoError' ? 'bad' : ''}>{e.errorCode ?? '–'}</td>
                    <td>{[e.statusInfo, e.vendorErrorCode ? `vendor code ${e.vendorErrorCode}` : null].filter(Boolean).join(' · ') || '–'}</td>
                    <td>{e.connectors.map((k) => <div>{k.id}: {k.standard} {k.format} {k.powerType}{k.maxPowerW ? ` ${(k.maxPowerW / 1000).toFixed(1)} kW` : ''}</div>)}</td>
                    <td><Sparkline points={p.sparks.get(e.ocppId) ?? []} fromMs={nowMs - 3600_000} toMs={nowMs} /></td>
                    <td class="actions">
                      <a class="button small" href={`${base}/confirm/availability?evse=${e.ocppId}&operative=${e.status === 'Unavailable' ? 1 : 0}`}>{e.status === 'Unavailable' ? 'Make operative…' : 'Make inoperative…'}</a>
                      <a class="button small" href={`${base}/confirm/unlock?evse=${e.ocppId}`}>Unlock…</a>
                      <a class="button small" href={`${base}/confirm/trigger-status?evse=${e.ocppId}`}>Status…</a>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section id="r-charger-sessions" data-region>
        <h2>Sessions</h2>
        {p.sessions.active.length ? <LiveSessionsTable sessions={p.sessions.active} nowMs={nowMs} timeZone={timeZone} actions /> : <Empty>No session running.</Empty>}
        {p.sessions.recent.length ? <><h3>Recent</h3><RecentSessionsTable sessions={p.sessions.recent} timeZone={timeZone} /></> : null}
      </section>
      <section id="r-faults" data-region>
        <h2>Faults</h2>
        {p.faults.length === 0 ? <Empty>No fault recorded.</Empty> : (
          <ul class="problems">
            {p.faults.map((f) => (
              <li class={f.clearedAt ? 'cleared' : f.source === 'ocpp' ? 'bad' : 'warn'}>
                <span class="icon" aria-hidden="true">{f.clearedAt ? '✔' : '✖'}</span>
                <b>{f.code}</b>{f.evseOcppId !== undefined ? ` (EVSE ${f.evseOcppId})` : ''}: {f.message}
                <span class="muted"> · {f.source} · <At atMs={f.raisedAt.getTime()} timeZone={timeZone} />{f.clearedAt ? <> · cleared <At atMs={f.clearedAt.getTime()} timeZone={timeZone} /></> : ' · open'}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section id="r-config" data-region>
        <h2>Configuration{p.configuration?.atMs ? <span class="muted"> · read <At atMs={p.configuration.atMs} timeZone={timeZone} /></span> : null}</h2>
        {p.configuration ? (
          <details id="config-details">
            <summary>Show the configuration / device model the charger reported</summary>
            <pre class="json">{p.configuration.text}</pre>
            {p.configuration.truncated ? <p><a href={`${base}/configuration.json`} download>Download the full configuration</a></p> : null}
          </details>
        ) : <Empty>The charger has not reported its configuration yet.</Empty>}
      </section>
      {p.reports ? <ChargerReports identity={c.identity} reports={p.reports} timeZone={timeZone} /> : null}
      <Traffic identity={c.identity} traffic={p.traffic} nowMs={nowMs} timeZone={timeZone} />
    </>
  );
}

function Traffic({ identity, traffic, nowMs, timeZone }: { identity: string; traffic: ChargerDetailProps['traffic']; nowMs: number; timeZone: string }) {
  const base = chargerHref(identity);
  return (
    <section id="traffic">
      <h2>OCPP traffic</h2>
      <form method="get" action={base} class="filter">
        <label>Action{' '}
          <select name="action" id="action-filter">
            <option value="">all</option>
            {traffic.actions.map((a) => <option value={a} selected={traffic.action === a}>{a}</option>)}
          </select>
        </label>
        <button type="submit">Filter</button>
      </form>
      <div id="r-traffic" data-region>
        {traffic.messages.length === 0 ? <Empty>No message logged{traffic.action ? ` for ${traffic.action}` : ''}.</Empty> : (
          <ol class="traffic">
            {traffic.messages.map((m) => (
              <li class={`msg ${m.direction} ${m.kind}`} data-action={m.action ?? ''}>
                <details id={`msg-${m.id}`}>
                  <summary>
                    <span class="dir" title={m.direction === 'in' ? 'charger → bridge' : 'bridge → charger'}>{m.direction === 'in' ? '→ in' : '← out'}</span>
                    <b>{m.action ?? '(no action)'}</b> <span class="kind">{m.kind}</span>
                    <Ago atMs={m.atMs} nowMs={nowMs} timeZone={timeZone} /> <span class="muted">{m.size.toLocaleString('en')} chars</span>
                  </summary>
                  <pre class="json">{m.text}</pre>
                  {m.truncated ? (
                    <p class="warn">Truncated: showing {m.text.length.toLocaleString('en')} of {m.size.toLocaleString('en')} characters. <a href={`${base}/messages/${m.id}`} download>Download the full text</a></p>
                  ) : null}
                </details>
              </li>
            ))}
          </ol>
        )}
      </div>
    </section>
  );
}
