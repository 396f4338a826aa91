/**
 * What the status page shows, read from the domain ports and shaped as plain data: the overview with its list
 * of problems, chargers with EVSEs and connectors (OCPI status as eMSPs see it), sessions (cost from the stored
 * OCPI session, CDR and Eichrecht result when those exist), eMSP push health, the OCPP traffic log. The HTML views
 * and /status.json both render these; nothing here knows HTML.
 */
import type { DomainEvents } from '../domain/events.js';
import type { OcpiStore } from '../domain/ocpi-ports.js';
import { ocpiEvseStatus, type ChargerLink, type OcpiEvseStatus } from '../domain/ocpi-status.js';
import type { ChargerCommands, Clock, Store } from '../domain/ports.js';
import type { ChargerRecord, EvseRecord, TransactionRecord } from '../domain/records.js';
import type { SessionCdrStore } from '../domain/session-cdr-ports.js';
import { sessionIdOf } from '../domain/session-facts.js';
import type { Log } from '../log.js';
import { startOfDayMs } from './format.js';

export interface PageDeps {
  store: Store;
  commands: ChargerCommands;
  events: DomainEvents;
  clock: Clock;
  log: Log;
  /** Config `ocpp.offline_grace_s` in ms: the OCPI status shown is the one eMSPs get. */
  offlineGraceMs: number;
  /** eMSP panel; absent: shown as "n/a". */
  ocpi?: Pick<OcpiStore, 'listPlatforms' | 'listPushStatus' | 'pushQueueDepths' | 'readModelVersion'>;
  /** OCPI sessions and CDRs (cost so far, CDR delivery); absent: shown as "n/a". */
  sessions?: Pick<SessionCdrStore, 'getSession' | 'cdrOfTransaction' | 'undeliveredCdrs' | 'reservationSessionOfTransaction'>;
  /** Live-update batching interval (default 500 ms). */
  liveFlushMs?: number;
}

export const OCPI_STATUSES: OcpiEvseStatus[] = ['AVAILABLE', 'CHARGING', 'RESERVED', 'BLOCKED', 'INOPERATIVE', 'OUTOFORDER', 'UNKNOWN', 'PLANNED', 'REMOVED'];
export type ChargerState = 'online' | 'faulted' | 'offline' | 'never';

export interface ConnectorView { rowId: number; id: string; ocppConnectorId: number; standard: string; format: string; powerType: string; maxPowerW: number | null }
export interface EvseView {
  rowId: number; ocppId: number; evseId: string | null; uid: string; status: string; ocpiStatus: OcpiEvseStatus; statusAtMs: number | null;
  errorCode: string | null; vendorErrorCode: string | null; statusInfo: string | null; removed: boolean; configured: boolean; connectors: ConnectorView[];
}
export interface ChargerView {
  identity: string; state: ChargerState; connected: boolean; protocol: string | null; vendor: string | null; model: string | null;
  serialNumber: string | null; firmwareVersion: string | null; securityProfile: number | null; bootStatus: string | null; bootReason: string | null;
  lastBootAtMs: number | null; lastHeartbeatAtMs: number | null; lastSeenAtMs: number | null; connectedAtMs: number | null; disconnectedAtMs: number | null;
  remoteAddress: string | null; stationStatus: string | null; configured: boolean; locationId: string | null; openFaults: number; evses: EvseView[];
}
export interface Problem { severity: 'bad' | 'warn'; text: string; identity?: string; sinceMs?: number | null }
export interface OverviewView {
  atMs: number; dayStartMs: number;
  chargers: { total: number; online: number; faulted: number; offline: number; never: number };
  connectors: { total: number; byStatus: Record<OcpiEvseStatus, number> };
  sessions: { active: number; powerW: number };
  energyTodayWh: number;
  cdrs: { undelivered: number; oldestMs: number | null } | null;
  emsps: { registered: number; failing: number; queued: number } | null;
  openFaults: number;
  problems: Problem[];
  moreProblems: number;
}
export interface CdrView { id: string; delivered: boolean; deliveredAtMs: number | null; attempts: number; lastError: string | null; nextAttemptAtMs: number | null }
export interface SignedSummary { count: number; verified: number; failed: number; unchecked: number }
export interface SessionView {
  txRowId: number; ocppTransactionId: string; identity: string; evseOcppId: number | null; evseId: string | null; idTag: string | null;
  authStatus: string | null; status: string; startedAtMs: number | null; endedAtMs: number | null; energyWh: number | null; powerW: number | null;
  stopReason: string | null; cost: { amount: number; currency: string } | null;
  /** undefined: no CDR store in this bridge; null: no CDR (yet). */
  cdr?: CdrView | null;
  signed?: SignedSummary;
}
export interface EmspView {
  id: number; name: string | null; status: string; version: string | null; versionsUrl: string | null; parties: Array<{ countryCode: string; partyId: string; role: string }>;
  registeredAtMs: number | null; lastSeenAtMs: number | null; queued: number; health: 'ok' | 'failing' | 'idle';
  modules: Array<{ module: string; lastAttemptAtMs: number; lastSuccessAtMs: number | null; lastOutcome: string; ok: boolean }>;
}
export interface TrafficMessage { id: number; atMs: number; direction: string; kind: string; action: string | null; messageId: string | null; size: number; text: string; truncated: boolean }

/** Characters of one frame shown inline; the rest is a download. */
export const SHOWN_CHARS = 4000;
const PRETTY_MAX = 64 * 1024;

const linkOf = (c: ChargerRecord): ChargerLink => ({
  connected: c.connected, connectedAtMs: c.connectedAtMs, disconnectedAtMs: c.disconnectedAtMs, lastBootAtMs: c.lastBootAtMs, bootStatus: c.bootStatus, stationStatus: c.stationStatus,
});

// Connectors change only with the site config; OCPI's read-model version changes with them, so the list is
// kept between renders while it stays the same (reading 4,000 connector rows is ~13 ms of a 1,000-charger page).
const connectorCache = new WeakMap<PageDeps, { version: number; rows: ReturnType<Store['listConnectors']> }>();
function allConnectors(deps: PageDeps): ReturnType<Store['listConnectors']> {
  if (!deps.ocpi) return deps.store.listConnectors();
  const version = deps.ocpi.readModelVersion();
  const hit = connectorCache.get(deps);
  if (hit && hit.version === version) return hit.rows;
  const rows = deps.store.listConnectors();
  connectorCache.set(deps, { version, rows });
  return rows;
}

export function siteTimeZone(store: Store): string {
  return store.listLocations()[0]?.timeZone ?? 'UTC';
}

function stateOf(c: ChargerRecord, evses: EvseRecord[]): ChargerState {
  if (!c.connected) return c.connectedAtMs === null && c.lastBootAtMs === null ? 'never' : 'offline';
  if (c.stationStatus === 'Faulted' || evses.some((e) => !e.removed && e.status === 'Faulted')) return 'faulted';
  return 'online';
}

/** Every charger with its EVSEs and connectors; one read of each table. */
export function chargerViews(deps: PageDeps, nowMs: number, only?: string): ChargerView[] {
  const { store } = deps;
  const chargers = only ? [store.getCharger(only)].filter((c): c is ChargerRecord => Boolean(c)) : store.listChargers();
  const evses = store.listEvses(only);
  const connectors = only ? evses.flatMap((e) => store.listConnectors(e.id)) : allConnectors(deps);
  const connectorsByEvse = new Map<number, ConnectorView[]>();
  for (const k of connectors) {
    const list = connectorsByEvse.get(k.evseRowId) ?? [];
    list.push({ rowId: k.id, id: k.connectorId, ocppConnectorId: k.ocppConnectorId, standard: k.standard, format: k.format, powerType: k.powerType, maxPowerW: k.maxElectricPowerW });
    connectorsByEvse.set(k.evseRowId, list);
  }
  const evsesByCharger = new Map<string, EvseRecord[]>();
  for (const e of evses) {
    const list = evsesByCharger.get(e.chargerIdentity) ?? [];
    list.push(e);
    evsesByCharger.set(e.chargerIdentity, list);
  }
  const openFaults = new Map<string, number>();
  for (const f of store.listFaults({ identity: only, open: true, limit: 5000 })) {
    if (f.chargerIdentity) openFaults.set(f.chargerIdentity, (openFaults.get(f.chargerIdentity) ?? 0) + 1);
  }
  return chargers.map((c) => {
    const own = evsesByCharger.get(c.identity) ?? [];
    const link = linkOf(c);
    return {
      identity: c.identity, state: stateOf(c, own), connected: c.connected, protocol: c.protocol, vendor: c.vendor, model: c.model, serialNumber: c.serialNumber,
      firmwareVersion: c.firmwareVersion, securityProfile: c.securityProfile, bootStatus: c.bootStatus, bootReason: c.bootReason, lastBootAtMs: c.lastBootAtMs,
      lastHeartbeatAtMs: c.lastHeartbeatAtMs, lastSeenAtMs: c.lastSeenAtMs, connectedAtMs: c.connectedAtMs, disconnectedAtMs: c.disconnectedAtMs,
      remoteAddress: c.remoteAddress, stationStatus: c.stationStatus, configured: c.configured, locationId: c.locationId, openFaults: openFaults.get(c.identity) ?? 0,
      evses: own.map((e) => ({
        rowId: e.id, ocppId: e.ocppId, evseId: e.evseId, uid: e.uid, status: String(e.status), statusAtMs: e.statusAtMs, errorCode: e.errorCode,
        vendorErrorCode: e.vendorErrorCode, statusInfo: e.statusInfo, removed: e.removed, configured: e.configured,
        ocpiStatus: ocpiEvseStatus({ removed: e.removed, status: e.status, charger: link, nowMs, offlineGraceMs: deps.offlineGraceMs }),
        connectors: connectorsByEvse.get(e.id) ?? [],
      })),
    };
  });
}

const energyOf = (tx: TransactionRecord): number | null => {
  const end = tx.meterStopWh ?? tx.lastMeterWh;
  return end === null || tx.meterStartWh === null ? null : Math.max(0, end - tx.meterStartWh);
};

export function emspViews(deps: PageDeps): EmspView[] | null {
  if (!deps.ocpi) return null;
  const status = deps.ocpi.listPushStatus();
  const depths = deps.ocpi.pushQueueDepths();
  return deps.ocpi.listPlatforms().filter((p) => p.status !== 'unregistered').map((p) => {
    const modules = status.filter((s) => s.platformId === p.id).map((s) => ({
      module: s.module, lastAttemptAtMs: s.lastAttemptAtMs, lastSuccessAtMs: s.lastSuccessAtMs, lastOutcome: s.lastOutcome,
      ok: s.lastSuccessAtMs !== null && s.lastSuccessAtMs >= s.lastAttemptAtMs,
    }));
    return {
      id: p.id, name: p.name, status: p.status, version: p.version, versionsUrl: p.versionsUrl, registeredAtMs: p.registeredAtMs, lastSeenAtMs: p.lastSeenAtMs,
      parties: p.parties.map((x) => ({ countryCode: x.countryCode, partyId: x.partyId, role: String(x.role) })),
      queued: depths.get(p.id) ?? 0, modules,
      health: modules.length === 0 ? 'idle' : modules.some((m) => !m.ok) ? 'failing' : 'ok',
    };
  });
}

export function overviewView(deps: PageDeps, nowMs: number, timeZone: string, chargers = chargerViews(deps, nowMs), active = deps.store.listActiveTransactions()): OverviewView {
  const { store } = deps;
  const byStatus = Object.fromEntries(OCPI_STATUSES.map((s) => [s, 0])) as Record<OcpiEvseStatus, number>;
  let connectorsTotal = 0;
  const counts = { total: chargers.length, online: 0, faulted: 0, offline: 0, never: 0 };
  const problems: Problem[] = [];
  for (const c of chargers) {
    counts[c.state]++;
    for (const e of c.evses) {
      const n = Math.max(1, e.connectors.length);
      byStatus[e.ocpiStatus] += n;
      connectorsTotal += n;
      if (e.status === 'Faulted' && !e.removed) {
        const detail = [e.errorCode && e.errorCode !== 'NoError' ? e.errorCode : '', e.statusInfo ?? '', e.vendorErrorCode ? `vendor code ${e.vendorErrorCode}` : ''].filter(Boolean).join(', ');
        problems.push({ severity: 'bad', identity: c.identity, sinceMs: e.statusAtMs, text: `EVSE ${e.ocppId} faulted${detail ? `: ${detail}` : ''}` });
      }
    }
    if (c.stationStatus === 'Faulted' && c.connected) problems.push({ severity: 'bad', identity: c.identity, text: 'whole charger reports Faulted' });
    if (c.state === 'offline') problems.push({ severity: 'warn', identity: c.identity, sinceMs: c.disconnectedAtMs, text: 'offline' });
    if (c.connected && (c.bootStatus === 'Pending' || c.bootStatus === 'Rejected')) problems.push({ severity: 'warn', identity: c.identity, text: `boot ${c.bootStatus}: not in service` });
  }
  for (const f of store.listFaults({ open: true, limit: 20 })) {
    if (f.source === 'ocpp' && problems.some((p) => p.identity === f.chargerIdentity && p.text.startsWith(`EVSE ${f.evseOcppId} faulted`))) continue;
    problems.push({ severity: 'warn', identity: f.chargerIdentity, sinceMs: f.raisedAt.getTime(), text: `${f.code}: ${f.message}` });
  }
  const dayStartMs = startOfDayMs(nowMs, timeZone);
  let energyTodayWh = 0;
  let powerW = 0;
  for (const tx of active) {
    energyTodayWh += energyOf(tx) ?? 0;
    powerW += tx.lastPowerW ?? 0;
  }
  for (const tx of store.listTransactionsEndedSince(dayStartMs, 100_000)) energyTodayWh += energyOf(tx) ?? 0;
  const cdrs = deps.sessions ? deps.sessions.undeliveredCdrs() : null;
  if (cdrs && cdrs.count > 0) problems.push({ severity: 'warn', sinceMs: cdrs.oldestMs, text: `${cdrs.count} CDR${cdrs.count === 1 ? '' : 's'} not yet acknowledged by the eMSP` });
  const emsps = emspViews(deps);
  for (const p of emsps ?? []) {
    for (const m of p.modules.filter((x) => !x.ok)) {
      problems.push({ severity: 'warn', sinceMs: m.lastSuccessAtMs, text: `eMSP ${p.name ?? p.parties[0]?.partyId ?? p.id}: ${m.module} pushes failing (${m.lastOutcome})` });
    }
  }
  const order = (p: Problem) => (p.severity === 'bad' ? 0 : 1);
  problems.sort((a, b) => order(a) - order(b) || (b.sinceMs ?? 0) - (a.sinceMs ?? 0));
  return {
    atMs: nowMs, dayStartMs, chargers: counts, connectors: { total: connectorsTotal, byStatus },
    sessions: { active: active.length, powerW }, energyTodayWh,
    cdrs: cdrs ? { undelivered: cdrs.count, oldestMs: cdrs.oldestMs } : null,
    emsps: emsps ? { registered: emsps.filter((p) => p.status === 'registered').length, failing: emsps.filter((p) => p.health === 'failing').length, queued: emsps.reduce((n, p) => n + p.queued, 0) } : null,
    openFaults: store.listFaults({ open: true, limit: 10_000 }).length,
    problems: problems.slice(0, 50), moreProblems: Math.max(0, problems.length - 50),
  };
}

function costOf(deps: PageDeps, tx: TransactionRecord): SessionView['cost'] {
  // A transaction that used a reservation continues the reservation's session (its id, not the transaction's).
  const sessionId = deps.sessions?.reservationSessionOfTransaction(tx.id)?.sessionId ?? sessionIdOf(tx);
  const stored = deps.sessions?.getSession(sessionId);
  if (!stored) return null;
  try {
    const s = JSON.parse(stored.json) as { total_cost?: { incl_vat?: number; excl_vat?: number }; currency?: string };
    const amount = s.total_cost?.incl_vat ?? s.total_cost?.excl_vat;
    return typeof amount === 'number' ? { amount, currency: s.currency ?? '' } : null;
  } catch {
    return null;
  }
}

export function sessionView(deps: PageDeps, tx: TransactionRecord, evses: Map<number, EvseRecord | undefined>, detail: boolean): SessionView {
  let evse: EvseRecord | undefined;
  if (tx.evseRowId !== null) {
    if (!evses.has(tx.evseRowId)) evses.set(tx.evseRowId, deps.store.getEvseByRowId(tx.evseRowId));
    evse = evses.get(tx.evseRowId);
  }
  const view: SessionView = {
    txRowId: tx.id, ocppTransactionId: tx.ocppTransactionId, identity: tx.chargerIdentity, evseOcppId: evse?.ocppId ?? null, evseId: evse?.evseId ?? null,
    idTag: tx.idTag, authStatus: tx.authStatus, status: tx.status, startedAtMs: tx.startedAtMs, endedAtMs: tx.endedAtMs, energyWh: energyOf(tx),
    powerW: tx.status === 'active' ? tx.lastPowerW : null, stopReason: tx.stopReason, cost: costOf(deps, tx),
  };
  if (detail) {
    if (deps.sessions) {
      const cdr = deps.sessions.cdrOfTransaction(tx.id);
      view.cdr = cdr ? { id: cdr.id, delivered: cdr.deliveredAtMs !== null, deliveredAtMs: cdr.deliveredAtMs, attempts: cdr.attempts, lastError: cdr.lastError, nextAttemptAtMs: cdr.nextAttemptAtMs } : null;
    }
    const signed = deps.store.listSignedReadings({ transactionRowId: tx.id });
    view.signed = {
      count: signed.length,
      verified: signed.filter((s) => s.verification === 'verified').length,
      unchecked: signed.filter((s) => s.verification === null).length,
      failed: signed.filter((s) => s.verification !== null && s.verification !== 'verified').length,
    };
  }
  return view;
}

export function sessionViews(deps: PageDeps, opts: { identity?: string; activeLimit: number; recentLimit: number }, active = deps.store.listActiveTransactions(opts.identity)): { active: SessionView[]; activeTotal: number; recent: SessionView[] } {
  const { store } = deps;
  const evses = new Map<number, EvseRecord | undefined>();
  const recent = opts.recentLimit > 0
    ? (opts.identity ? store.listRecentTransactions(500).filter((t) => t.chargerIdentity === opts.identity) : store.listRecentTransactions(opts.recentLimit * 3))
      .filter((t) => t.status !== 'active').slice(0, opts.recentLimit)
    : [];
  return {
    active: active.slice(0, opts.activeLimit).map((t) => sessionView(deps, t, evses, false)),
    activeTotal: active.length,
    recent: recent.map((t) => sessionView(deps, t, evses, true)),
  };
}

/** Power per EVSE over the window, for sparklines: evseOcppId -> points. */
export function powerSeries(deps: PageDeps, identity: string, sinceMs: number): Map<number, Array<{ atMs: number; w: number }>> {
  const out = new Map<number, Array<{ atMs: number; w: number }>>();
  for (const s of deps.store.listPowerSamples(identity, sinceMs, 5000)) {
    const key = s.evseOcppId ?? 0;
    const list = out.get(key) ?? [];
    list.push({ atMs: s.sampledAtMs, w: s.powerW });
    out.set(key, list);
  }
  return out;
}

export function trafficView(deps: PageDeps, identity: string, action: string | undefined, limit: number): { actions: string[]; messages: TrafficMessage[] } {
  const recent = deps.store.listOcppMessages(identity, 500);
  const actions = [...new Set(recent.map((m) => m.action).filter((a): a is string => Boolean(a)))].sort();
  if (action && !actions.includes(action)) actions.push(action);
  const rows = action ? deps.store.listOcppMessages(identity, limit, action) : recent.slice(0, limit);
  return {
    actions,
    messages: rows.map((m) => {
      const { text, truncated } = prettyFrame(m.payload);
      return { id: m.id, atMs: m.atMs, direction: m.direction, kind: m.kind, action: m.action, messageId: m.messageId, size: m.payload.length, text, truncated };
    }),
  };
}

/** A frame as indented JSON when it is small enough to parse cheaply, cut at SHOWN_CHARS. */
export function prettyFrame(payload: string): { text: string; truncated: boolean } {
  let text = payload;
  if (payload.length <= PRETTY_MAX) {
    try {
      text = JSON.stringify(JSON.parse(payload), null, 2);
    } catch {
      // not JSON ('bad' frames): shown as received
    }
  }
  return text.length > SHOWN_CHARS ? { text: text.slice(0, SHOWN_CHARS), truncated: true } : { text, truncated: false };
}

/** Epoch-ms fields (`...AtMs`, `...Ms`) as ISO strings for scripts reading /status.json. */
export function withIsoTimes(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withIsoTimes);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => {
      if (/(?:^at|At|Start|^oldest)Ms$/.test(k)) return [k.replace(/Ms$/, ''), typeof v === 'number' ? new Date(v).toISOString() : v];
      return [k, withIsoTimes(v)];
    }));
  }
  return value;
}
