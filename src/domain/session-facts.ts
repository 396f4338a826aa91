/**
 * A transaction as the money side sees it: who charged (token, authorization), where (the location, EVSE,
 * connector and tariff as they were at the start: the snapshot), how much (energy since the start) and what
 * it costs (the tariff engine over its meter samples and the EV's reported charging states: TIME vs PARKING_TIME,
 * charging-states.ts). OCPI Sessions and CDRs are views of these facts; this
 * file knows no OCPI wire format. Energy in Wh, instants as Date.
 */
import { createHash } from 'node:crypto';
import { chargingIntervalsOf } from './charging-states.js';
import type { MeterReading } from './model.js';
import type { Store } from './ports.js';
import type { TransactionRecord } from './records.js';
import type { ReservationSessionRecord } from './session-cdr-ports.js';
import type { TransactionSnapshot } from './snapshot.js';
import { priceSession } from './tariffs/price-session.js';
import type { ChargingPeriod, MeterSample, PricedSession, Tariff } from './tariffs/types.js';
import { priceReservedSession } from './reservation-facts.js';
import { sessionTokenOf } from './session-token.js';

export type SessionStatus = 'PENDING' | 'ACTIVE' | 'COMPLETED' | 'INVALID' | 'RESERVATION';

export interface SessionToken {
  countryCode: string;
  partyId: string;
  uid: string;
  /** OCPI TokenType */
  type: 'AD_HOC_USER' | 'APP_USER' | 'OTHER' | 'RFID';
  contractId: string;
}

export interface SessionFacts {
  sessionId: string;
  /** Absent for a reservation no transaction has used (yet). */
  transaction?: TransactionRecord;
  /** The reservation this session began as (domain/reservations.ts). */
  reservation?: ReservationSessionRecord;
  status: SessionStatus;
  /** The Session's start: the transaction's once it has one (mod_sessions: "updated to the moment it became ACTIVE"). */
  startedAt: Date;
  /** The reservation's start when the session began as one: the CDR's start_date_time (mod_cdrs: "or in case of a reservation ... the start of the reservation"). */
  reservedFrom?: Date;
  endedAt?: Date;
  energyWh: number;
  token: SessionToken;
  authMethod: 'AUTH_REQUEST' | 'COMMAND' | 'WHITELIST';
  authorizationReference?: string;
  snapshot: TransactionSnapshot['data'];
  tariff?: Tariff;
  priced?: PricedSession;
  currency: string;
  /** The owning eMSP platform, when the token belongs to one; the session goes to nobody else. */
  platformId: number | null;
  lastUpdatedMs: number;
  /** Problems the operator should see (meter went backwards, stop before start, ...). */
  warnings: string[];
  /** The EV's state of charge as the charger reported it (SoC measurand), for the Session only. */
  stateOfCharge: Array<{ atMs: number; percent: number }>;
}

/** A stable OCPI Session / CDR id (≤ 36 chars), the same for the same charger transaction after a restore. */
export function sessionIdOf(tx: Pick<TransactionRecord, 'chargerIdentity' | 'ocppTransactionId'>): string {
  return createHash('sha256').update(`${tx.chargerIdentity}\u0000${tx.ocppTransactionId}`).digest('hex').slice(0, 32);
}

const OCPP_ID_TOKEN_TO_OCPI: Record<string, SessionToken['type']> = {
  ISO14443: 'RFID', ISO15693: 'RFID', Central: 'APP_USER', eMAID: 'OTHER', KeyCode: 'OTHER', Local: 'OTHER', MacAddress: 'OTHER', NoAuthorization: 'AD_HOC_USER',
};

export function sessionStatusOf(tx: TransactionRecord): SessionStatus {
  const authorized = tx.authStatus === 'Accepted';
  if (tx.authStatus !== null && !authorized) return 'INVALID';
  if (tx.status === 'ended') return authorized ? 'COMPLETED' : 'INVALID';
  return authorized ? 'ACTIVE' : 'PENDING';
}

/** The session's meter samples for the tariff engine: energy since the start, power, summed current. */
export function pricingSamples(tx: TransactionRecord, readings: MeterReading[], nowMs: number): { samples: MeterSample[]; warnings: string[] } {
  const warnings: string[] = [];
  const startMs = tx.startedAtMs ?? readings[0]?.sampledAt.getTime() ?? nowMs;
  const meterStart = tx.meterStartWh ?? readings.find((r) => r.measurand === 'Energy.Active.Import.Register' && !r.phase)?.value ?? 0;
  const byTime = new Map<number, MeterSample>();
  const phased = new Set<number>();
  const at = (ms: number) => {
    let s = byTime.get(ms);
    if (!s) byTime.set(ms, (s = { at: new Date(ms), energyWh: Number.NaN }));
    return s;
  };
  for (const r of readings) {
    const ms = r.sampledAt.getTime();
    if (r.measurand === 'Energy.Active.Import.Register' && !r.phase && r.unit === 'Wh') at(ms).energyWh = r.value - meterStart;
    else if (r.measurand === 'Power.Active.Import' && !r.phase && r.unit === 'W') at(ms).powerW = r.value;
    else if (r.measurand === 'Current.Import' && r.unit === 'A' && /^L[123]$/.test(r.phase ?? '')) {
      // MAX_CURRENT / MIN_CURRENT and current restrictions are the sum over the phases (never N, the neutral)
      const s = at(ms);
      s.currentA = (phased.has(ms) ? s.currentA ?? 0 : 0) + r.value;
      phased.add(ms);
    } else if (r.measurand === 'Current.Import' && r.unit === 'A' && !r.phase && !phased.has(ms)) at(ms).currentA = r.value; // only a total
  }
  const endMs = tx.endedAtMs ?? nowMs;
  at(startMs).energyWh = Number.isNaN(at(startMs).energyWh) ? 0 : at(startMs).energyWh;
  const endWh = tx.meterStopWh ?? tx.lastMeterWh;
  if (endWh !== null && endWh !== undefined) at(Math.max(endMs, startMs)).energyWh = endWh - meterStart;
  const samples = [...byTime.values()].filter((s) => s.at.getTime() >= startMs && s.at.getTime() <= Math.max(endMs, startMs)).sort((a, b) => a.at.getTime() - b.at.getTime());
  // carry the last known energy over samples that only had power or current
  let last = 0;
  for (const s of samples) {
    if (Number.isNaN(s.energyWh)) s.energyWh = last;
    last = s.energyWh;
  }
  if (tx.endedAtMs !== null && tx.startedAtMs !== null && tx.endedAtMs < tx.startedAtMs) warnings.push('the transaction stopped before it started; priced as zero duration');
  return { samples, warnings };
}

/** SoC readings of the session (percent, by time), for the Session's STATE_OF_CHARGE dimension. */
export function stateOfChargeOf(readings: MeterReading[], fromMs: number, toMs: number): Array<{ atMs: number; percent: number }> {
  return readings
    .filter((r) => r.measurand === 'SoC' && r.unit === '%' && Number.isFinite(r.value))
    .map((r) => ({ atMs: r.sampledAt.getTime(), percent: Math.min(100, Math.max(0, r.value)) }))
    .filter((r) => r.atMs >= fromMs && r.atMs <= toMs)
    .sort((a, b) => a.atMs - b.atMs);
}

/**
 * A Session's charging periods with the Session-only dimensions (mod_cdrs CdrDimensionType, marked "Session only";
 * CDRs keep the periods without them): POWER, the average kW while charging (ENERGY / TIME of the period), and
 * STATE_OF_CHARGE, the last SoC the charger reported up to the period's end (none before the first report).
 */
export function withSessionDimensions(periods: ChargingPeriod[], soc: Array<{ atMs: number; percent: number }>, endMs: number): ChargingPeriod[] {
  return periods.map((p, i) => {
    const extra: ChargingPeriod['dimensions'] = [];
    const energyKwh = p.dimensions.find((d) => d.type === 'ENERGY')?.volume;
    const hours = p.dimensions.find((d) => d.type === 'TIME')?.volume;
    if (energyKwh !== undefined && hours) extra.push({ type: 'POWER', volume: Math.round((energyKwh / hours) * 10_000) / 10_000 });
    const untilMs = i + 1 < periods.length ? Date.parse(periods[i + 1]!.start_date_time) : endMs;
    let last: number | undefined;
    for (const r of soc) if (r.atMs <= untilMs) last = r.percent;
    if (last !== undefined) extra.push({ type: 'STATE_OF_CHARGE', volume: Math.round(last * 100) / 100 });
    return extra.length ? { ...p, dimensions: [...p.dimensions, ...extra] } : p;
  });
}

/**
 * The facts of a transaction's session; `reservation`: the reservation it used, whose session it continues (same id,
 * the reservation's time priced by the tariff's RESERVATION elements: domain/reservation-facts.ts).
 */
export function describeSession(store: Store, tx: TransactionRecord, cpo: { countryCode: string; partyId: string }, nowMs: number, reservation?: ReservationSessionRecord): SessionFacts {
  const own: TransactionSnapshot['data'] = tx.snapshotJson ? JSON.parse(tx.snapshotJson) : { locationId: null, tariffs: [] };
  const snapshot = reservation ? withReservationTariff(own, reservation) : own;
  const token = tx.tokenRowId !== null ? store.getIdToken(tx.tokenRowId) : undefined;
  const readings = store.listReadings(tx.id);
  const { samples, warnings } = pricingSamples(tx, readings, nowMs);
  const tariff = snapshot.tariffs[0] as unknown as Tariff | undefined;
  const startedAt = new Date(tx.startedAtMs ?? samples[0]?.at.getTime() ?? tx.createdAtMs);
  const endedAt = tx.endedAtMs !== null ? new Date(Math.max(tx.endedAtMs, startedAt.getTime())) : undefined;
  let priced: PricedSession | undefined;
  if (tariff) {
    const until = endedAt ?? new Date(Math.max(nowMs, startedAt.getTime()));
    const charging = chargingIntervalsOf(snapshot.chargingStates, startedAt.getTime(), until.getTime());
    const session = { startedAt, endedAt: until, timeZone: snapshot.timeZone ?? 'UTC', samples, chargingIntervals: charging };
    priced = reservation ? priceReservedSession(tariff, session, reservation) : priceSession(tariff, session);
    warnings.push(...priced.warnings);
  }
  const energyWh = Math.max(0, priced ? priced.total_energy * 1000 : (samples[samples.length - 1]?.energyWh ?? 0));
  const uid = token?.uid ?? tx.idTag ?? 'UNKNOWN';
  return {
    sessionId: reservation?.sessionId ?? sessionIdOf(tx),
    transaction: tx,
    reservation,
    status: sessionStatusOf(tx),
    startedAt,
    reservedFrom: reservation && new Date(Math.min(reservation.startedAtMs, startedAt.getTime())),
    endedAt,
    energyWh,
    token: sessionTokenOf(token, uid, OCPP_ID_TOKEN_TO_OCPI[tx.idTokenType ?? 'ISO14443'] ?? 'RFID', cpo),
    authMethod: (tx.authMethod as SessionFacts['authMethod'] | null) ?? 'WHITELIST',
    authorizationReference: tx.authorizationReference ?? reservation?.authorizationReference ?? undefined,
    snapshot,
    tariff,
    priced,
    currency: tariff?.currency ?? 'EUR',
    platformId: tx.platformId ?? token?.platformId ?? reservation?.platformId ?? null,
    lastUpdatedMs: tx.updatedAtMs,
    warnings,
    stateOfCharge: stateOfChargeOf(readings, startedAt.getTime(), (endedAt ?? new Date(Math.max(nowMs, startedAt.getTime()))).getTime()),
  };
}

/**
 * The tariff of a session that began as a reservation: the one the reservation was made under (mod_cdrs: tariffs "as
 * they were at session start", and the session started with the reservation), else the transaction's (a reservation
 * of any EVSE whose EVSEs differ in tariff).
 */
function withReservationTariff(own: TransactionSnapshot['data'], reservation: ReservationSessionRecord): TransactionSnapshot['data'] {
  const reserved = JSON.parse(reservation.snapshotJson) as TransactionSnapshot['data'];
  return reserved.tariffs.length ? { ...own, tariffs: reserved.tariffs } : own;
}
