/**
 * OCPI 2.2.1 tariff pricing engine: prices one session (or reservation) under one Tariff and returns the OCPI
 * ChargingPeriods and CDR totals. Pure: no I/O, imports only src/domain/tariffs and node/ICU built-ins.
 *
 * Pipeline (one file per step):
 *   compile-tariff.ts   prices as exact integers, restrictions compiled, element order per phase, thresholds
 *   meter.ts            samples sorted and cleaned (drops count 0 Wh), energy interpolated, power/current per interval
 *   charging-intervals  TIME vs PARKING_TIME (caller's intervals, else derived from the meter)
 *   local-time.ts       Location time zone as pieces of constant UTC offset (DST-safe)
 *   timeline.ts         segments between every instant where a restriction can flip; active component per dimension
 *   periods.ts          segments -> ChargingPeriods (new period when the active set changes)
 *   costs.ts            step_size once per group, VAT per component, min/max price, final rounding
 *   select-tariff.ts    which of the connector's tariffs applies (not called here)
 *
 * Money is exact (bigint atoms, money.ts) and rounded only once, on the final totals, half up to the currency's
 * minor unit (ICU digits: EUR 2, JPY 0). Each sub-total is rounded on its own, so they need not add up to
 * total_cost to the cent (OCPI leaves rounding to law and contract: mod_tariffs.asciidoc note on price rounding).
 * VAT: a component without `vat` has no VAT applicable, so it adds its excl amount to incl_vat unchanged.
 * Interpretations are documented where they are made; the worked-example tests name the spec text they follow.
 */
import { chargingIntervals } from './charging-intervals.js';
import { compileTariff, type CompiledTariff } from './compile-tariff.js';
import { computeCosts } from './costs.js';
import { isValidTimeZone, offsetPieces } from './local-time.js';
import { buildMeterTrack } from './meter.js';
import { chargingPeriods, round4 } from './periods.js';
import { isTariffActiveAt } from './select-tariff.js';
import { buildTimeline, type Segment } from './timeline.js';
import type { PricedSession, PricingSession, Tariff } from './types.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** The longest stretch of a session the engine prices (a long-parked car stays well inside it). */
export const MAX_PRICED_SPAN_MS = 62 * DAY_MS;
const iso = (ms: number) => new Date(ms).toISOString();

function reservationSegments(session: PricingSession, startMs: number, timeZone: string, compiled: CompiledTariff, warnings: string[]): Segment[] {
  const r = session.reservation!;
  const fromMs = r.from.getTime();
  let toMs = r.to.getTime();
  if (!r.expired && toMs > startMs) {
    warnings.push(`reservation ends at ${iso(toMs)}, after the session started; priced until ${iso(startMs)}`);
    toMs = startMs;
  }
  if (toMs < fromMs) {
    warnings.push(`reservation ends before it starts (${iso(toMs)} < ${iso(fromMs)}); priced as zero time`);
    toMs = fromMs;
  }
  return buildTimeline({
    fromMs, toMs, originMs: fromMs, pieces: offsetPieces(timeZone, fromMs, toMs), tariff: compiled,
    order: r.expired ? compiled.order.expired : compiled.order.reservation,
    reservationPhase: r.expired ? 'expired-reservation' : 'reservation',
  });
}

export function priceSession(tariff: Tariff, session: PricingSession): PricedSession {
  const warnings: string[] = [];
  const compiled = compileTariff(tariff, warnings);
  let startMs = session.startedAt.getTime();
  let endMs = session.endedAt.getTime();
  if (!Number.isFinite(startMs) || !Number.isFinite(endMs)) throw new RangeError('priceSession: startedAt and endedAt must be valid dates');
  if (endMs < startMs) {
    warnings.push(`session ends before it starts (${iso(endMs)} < ${iso(startMs)}); priced as a zero-duration session`);
    endMs = startMs;
  }
  let samples = session.samples ?? [];
  if (endMs - startMs > MAX_PRICED_SPAN_MS) {
    // A charger whose clock was reset (1970) or runs wild (9999) would have the engine walk every day and time-zone
    // change in between: minutes of CPU and arrays past V8's limit for one message. Such times are not believed:
    // only the last 62 days are priced, and the energy metered before them counts at their start, so none is lost.
    const fromMs = endMs - MAX_PRICED_SPAN_MS;
    warnings.push(`session spans ${Math.round((endMs - startMs) / DAY_MS)} days (${iso(startMs)} to ${iso(endMs)}): the charger's clock is not believed; only the last ${MAX_PRICED_SPAN_MS / DAY_MS} days are priced`);
    const before = samples.filter((x) => x.at.getTime() < fromMs).sort((a, b) => a.at.getTime() - b.at.getTime());
    samples = [
      ...(before.length ? [{ ...before[0]!, at: new Date(fromMs) }] : []),
      ...(before.length > 1 ? [{ ...before[before.length - 1]!, at: new Date(fromMs + 1) }] : []),
      ...samples.filter((x) => x.at.getTime() >= fromMs),
    ];
    startMs = fromMs;
  }
  let timeZone = session.timeZone;
  if (!isValidTimeZone(timeZone)) {
    warnings.push(`unknown time zone "${timeZone}"; local-time restrictions evaluated in UTC`);
    timeZone = 'UTC';
  }
  if (!isTariffActiveAt(tariff, session.startedAt)) warnings.push(`tariff ${tariff.id} is not active at session start ${iso(startMs)}`);

  const segments: Segment[] = [];
  const flats: Segment[] = [];
  const expired = session.reservation?.expired === true;
  if (session.reservation) {
    const reserved = reservationSegments(session, startMs, timeZone, compiled, warnings);
    segments.push(...reserved);
    const flat = reserved.find((s) => s.active.FLAT);
    if (flat) flats.push(flat);
  }
  if (!expired) {
    const meter = buildMeterTrack(samples, startMs, warnings);
    const charging = chargingIntervals(session.chargingIntervals, meter, startMs, endMs, warnings);
    if (compiled.usesCurrent && !meter.currentA.some((a) => a !== undefined)) {
      warnings.push('the tariff has current restrictions but no sample carries currentA: those elements do not apply');
    }
    const priced = buildTimeline({
      fromMs: startMs, toMs: endMs, originMs: startMs, pieces: offsetPieces(timeZone, startMs, endMs),
      tariff: compiled, order: compiled.order.session, meter, charging,
    });
    segments.push(...priced);
    const flat = priced.find((s) => s.active.FLAT);
    if (flat) flats.push(flat);
  } else if (endMs > startMs || samples.length > 0) {
    warnings.push('the reservation expired: only the reservation is priced, the session part of the input is ignored');
  }

  const sessionSegments = segments.filter((s) => s.phase === 'charging' || s.phase === 'parking');
  const parkingMs = sessionSegments.reduce((sum, s) => sum + (s.phase === 'parking' ? s.toMs - s.fromMs : 0), 0);
  return {
    currency: tariff.currency,
    chargingPeriods: chargingPeriods(segments, new Set(flats), tariff.id),
    ...computeCosts(segments, flats, tariff, compiled),
    total_energy: round4(sessionSegments.reduce((sum, s) => sum + s.energyMwh, 0) / 1e6),
    total_time: expired ? 0 : round4((endMs - startMs) / HOUR_MS),
    total_parking_time: round4(parkingMs / HOUR_MS),
    warnings,
  };
}
