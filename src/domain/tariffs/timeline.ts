/**
 * Cuts a priced range (the session, or the reservation before it) into segments inside which nothing that a
 * restriction looks at can change, and finds the active PriceComponent per dimension in each (OCPI 2.2.1
 * mod_tariffs.asciidoc §Tariff object: per dimension, the first element in list order that has a component of that
 * dimension and whose restrictions all match). Boundaries: the range ends, every sample (power and current are
 * constant per sample interval), charging/parking changes, local times of day named by the tariff and local
 * midnights (incl. DST changes), duration thresholds, and the exact instants the energy crosses a kWh threshold
 * (interpolated between samples). Each segment is judged at its midpoint, so inclusive/exclusive limits hold.
 * Energy is quantised to whole mWh at every boundary, so segment energies add up exactly to the total.
 */
import { isCharging, type Interval } from './charging-intervals.js';
import type { CompiledComponent, CompiledTariff, Phase } from './compile-tariff.js';
import { localBoundaries, localClock, type OffsetPiece } from './local-time.js';
import { energyAt, instantReaching, readingsAt, type MeterTrack } from './meter.js';
import { restrictionsMatch, type MomentState } from './restrictions.js';
import type { TariffDimensionType } from './types.js';

export type ActiveSet = Partial<Record<TariffDimensionType, CompiledComponent>>;

export interface Segment {
  fromMs: number;
  toMs: number;
  phase: Phase;
  /** Energy delivered in the segment, whole mWh. */
  energyMwh: number;
  powerW: number;
  currentA: number | undefined;
  active: ActiveSet;
  /** Identifies the set of active components: a new ChargingPeriod starts when it changes. */
  key: string;
}

export interface TimelineInput {
  fromMs: number;
  toMs: number;
  /** min_duration / max_duration count from here. */
  originMs: number;
  pieces: OffsetPiece[];
  tariff: CompiledTariff;
  order: number[];
  /** The session's meter and charging intervals; absent for a reservation. */
  meter?: MeterTrack;
  charging?: Interval[];
  reservationPhase?: Phase;
}

const SESSION_TYPES: TariffDimensionType[] = ['ENERGY', 'FLAT', 'TIME', 'PARKING_TIME'];
const RESERVATION_TYPES: TariffDimensionType[] = ['FLAT', 'TIME'];

function selectActive(tariff: CompiledTariff, order: number[], types: TariffDimensionType[], s: MomentState): ActiveSet {
  const active: ActiveSet = { ENERGY: undefined, FLAT: undefined, TIME: undefined, PARKING_TIME: undefined };
  let missing = types.length;
  for (const i of order) {
    if (missing === 0) break;
    const element = tariff.elements[i];
    let matched: boolean | undefined;
    for (const type of types) {
      const component = element.byType[type];
      if (!component || active[type]) continue;
      matched ??= restrictionsMatch(element.restrictions, s);
      if (!matched) break;
      active[type] = component;
      missing--;
    }
  }
  return active;
}

function boundaries(input: TimelineInput, baseWh: number): number[] {
  const { fromMs, toMs, meter, tariff } = input;
  const points = [fromMs, toMs, ...input.pieces.map((p) => p.fromMs)];
  points.push(...localBoundaries(input.pieces, tariff.minutesOfDay));
  points.push(...tariff.durationsMs.map((d) => input.originMs + d));
  for (const c of input.charging ?? []) points.push(c.fromMs, c.toMs);
  if (meter) {
    points.push(...meter.timesMs);
    for (const wh of tariff.energiesWh) {
      const at = instantReaching(meter, baseWh + wh);
      if (at !== undefined) points.push(at);
    }
  }
  // Whole milliseconds, so every time quantity is an exact integer for the money arithmetic.
  const inside = points.map(Math.round).filter((p) => p >= fromMs && p <= toMs).sort((a, b) => a - b);
  return inside.filter((p, i) => i === 0 || p !== inside[i - 1]);
}

export function buildTimeline(input: TimelineInput): Segment[] {
  const { meter, tariff } = input;
  const baseWh = meter ? energyAt(meter, input.fromMs) : 0;
  const energyMwhAt = (ms: number) => (meter ? Math.round((energyAt(meter, ms) - baseWh) * 1000) : 0);
  const points = boundaries(input, baseWh);
  if (points.length === 1) points.push(points[0]); // zero-length range: one instant, priced for its FLAT
  const types = input.reservationPhase ? RESERVATION_TYPES : SESSION_TYPES;
  const segments: Segment[] = [];
  let energyFrom = energyMwhAt(points[0]);
  for (let i = 1; i < points.length; i++) {
    const fromMs = points[i - 1];
    const toMs = points[i];
    const mid = (fromMs + toMs) / 2;
    const phase = input.reservationPhase ?? (isCharging(input.charging ?? [], mid) ? 'charging' : 'parking');
    const readings = meter && phase === 'charging' ? readingsAt(meter, mid) : { powerW: 0, currentA: 0 };
    const energyTo = energyMwhAt(toMs);
    const clock = localClock(input.pieces, mid);
    const state: MomentState = {
      minuteOfDay: clock.minuteOfDay,
      dateKey: clock.dateKey,
      weekday: clock.weekday,
      durationMs: mid - input.originMs,
      energyWh: meter ? energyAt(meter, mid) - baseWh : 0,
      powerW: readings.powerW,
      currentA: readings.currentA,
    };
    const active = selectActive(tariff, input.order, types, state);
    let key: string = phase;
    for (const type of types) key += `|${active[type]?.code ?? '-'}`;
    segments.push({
      fromMs, toMs, phase, energyMwh: energyTo - energyFrom, powerW: readings.powerW, currentA: readings.currentA, active, key,
    });
    energyFrom = energyTo;
  }
  return segments;
}
