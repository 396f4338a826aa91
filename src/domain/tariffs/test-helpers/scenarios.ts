/**
 * Test data builders for the tariff engine: the OCPI spec's example files (read, never edited) and sessions built
 * from a spec-style description ("09:30 local, 165 min charging at 16 A, then 42 min parking").
 */
import { readFileSync } from 'node:fs';
import type { MeterSample, PricingSession, Tariff } from '../types.js';

const EXAMPLES = new URL('../../../../test/fixtures/ocpi-examples/', import.meta.url);

export function loadExample<T = Tariff>(file: string): T {
  return JSON.parse(readFileSync(new URL(file, EXAMPLES), 'utf8')) as T;
}

const MINUTE_MS = 60_000;

export interface Leg {
  minutes: number;
  /** Energy delivered in this leg; 0 for parking. */
  energyWh: number;
  powerW?: number;
  currentA?: number;
  /** Parking leg: the EV does not request power. */
  parking?: boolean;
}

export interface ScenarioOptions {
  timeZone?: string;
  /** Meter sample spacing inside each leg; default 60 s. */
  sampleEveryS?: number;
  /** Pass chargingIntervals explicitly (default) or let the engine derive them from the meter. */
  deriveCharging?: boolean;
  reservation?: PricingSession['reservation'];
}

/** A session made of consecutive legs; energy rises linearly within a leg, samples every `sampleEveryS`. */
export function sessionOf(start: string | Date, legs: Leg[], options: ScenarioOptions = {}): PricingSession {
  const startedAt = typeof start === 'string' ? new Date(start) : start;
  const stepMs = (options.sampleEveryS ?? 60) * 1000;
  const samples: MeterSample[] = [{ at: startedAt, energyWh: 0 }];
  const chargingIntervals: Array<{ from: Date; to: Date }> = [];
  let t = startedAt.getTime();
  let energy = 0;
  for (const leg of legs) {
    const legMs = leg.minutes * MINUTE_MS;
    if (!leg.parking) chargingIntervals.push({ from: new Date(t), to: new Date(t + legMs) });
    const count = Math.max(1, Math.ceil(legMs / stepMs));
    for (let i = 1; i <= count; i++) {
      const dt = Math.min(i * stepMs, legMs);
      samples.push({
        at: new Date(t + dt),
        energyWh: energy + (leg.energyWh * dt) / legMs,
        powerW: leg.parking ? 0 : leg.powerW,
        currentA: leg.parking ? 0 : leg.currentA,
      });
    }
    t += legMs;
    energy += leg.energyWh;
  }
  return {
    startedAt,
    endedAt: new Date(t),
    timeZone: options.timeZone ?? 'Europe/Berlin',
    samples,
    chargingIntervals: options.deriveCharging ? undefined : chargingIntervals,
    reservation: options.reservation,
  };
}

/** Charge `energyWh` over `chargeMinutes`, then park `parkMinutes`. */
export function chargeThenPark(start: string, chargeMinutes: number, energyWh: number, parkMinutes = 0, extra: Partial<Leg> = {}, options: ScenarioOptions = {}): PricingSession {
  const legs: Leg[] = [{ minutes: chargeMinutes, energyWh, ...extra }];
  if (parkMinutes > 0) legs.push({ minutes: parkMinutes, energyWh: 0, parking: true });
  return sessionOf(start, legs, options);
}

/** A reservation of `minutes` ending where the session starts (or expiring, with no session after it). */
export function reservationBefore(start: string, minutes: number, expired = false): PricingSession['reservation'] {
  const to = new Date(start);
  return { from: new Date(to.getTime() - minutes * MINUTE_MS), to, expired };
}

export const minutesAfter = (start: string, minutes: number) => new Date(new Date(start).getTime() + minutes * MINUTE_MS);
