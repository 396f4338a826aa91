/**
 * OCPP 1.6 wire -> domain mapping: meter values (every measurand, phase, unit and context; values are
 * strings on the 1.6 wire), signed data (`format: SignedData`, kept byte for byte), statuses and times.
 * The domain -> wire direction for commands lives in commands.ts.
 */
import type { MeterReading, SignedReading } from '../../domain/model.js';
import { defaultUnit, normalise } from '../units.js';

export interface WireSampledValue {
  value: string;
  context?: string;
  format?: 'Raw' | 'SignedData' | string;
  measurand?: string;
  phase?: string;
  location?: string;
  unit?: string;
}
export interface WireMeterValue { timestamp: string; sampledValue: WireSampledValue[] }

export interface MappedMeterValues {
  readings: MeterReading[];
  signed: SignedReading[];
  /** Values that could not be read as numbers: kept in the fault, never silently dropped. */
  unreadable: Array<{ timestamp: string; sampledValue: WireSampledValue }>;
}

export function mapMeterValues(meterValues: WireMeterValue[] | undefined): MappedMeterValues {
  const out: MappedMeterValues = { readings: [], signed: [], unreadable: [] };
  for (const mv of meterValues ?? []) {
    const sampledAt = parseTime(mv.timestamp);
    for (const sv of mv.sampledValue ?? []) {
      // 1.6 §7.45 defaults: measurand Energy.Active.Import.Register, context Sample.Periodic, format Raw, location Outlet.
      const measurand = sv.measurand ?? 'Energy.Active.Import.Register';
      const context = sv.context ?? 'Sample.Periodic';
      if (sv.format === 'SignedData') {
        out.signed.push({ sampledAt, context: signedContext(context), ocppContext: context, raw: sv.value });
        continue;
      }
      const number = Number(sv.value);
      if (sv.value.trim() === '' || !Number.isFinite(number)) {
        out.unreadable.push({ timestamp: mv.timestamp, sampledValue: sv });
        continue;
      }
      const rawUnit = sv.unit ?? defaultUnit(measurand);
      const { value, unit } = normalise(number, rawUnit);
      out.readings.push({ sampledAt, measurand, phase: sv.phase, location: sv.location ?? 'Outlet', context, value, unit, rawValue: sv.value, rawUnit: sv.unit });
    }
  }
  return out;
}

export function signedContext(context: string): SignedReading['context'] {
  if (context === 'Transaction.Begin') return 'begin';
  if (context === 'Transaction.End') return 'end';
  return 'intermediate';
}

/** A wire timestamp as a Date; an unreadable one becomes "now" rather than losing the message. */
export function parseTime(text: string | undefined): Date {
  const d = text ? new Date(text) : new Date();
  return Number.isNaN(d.getTime()) ? new Date() : d;
}
