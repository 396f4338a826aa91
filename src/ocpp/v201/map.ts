/**
 * OCPP 2.0.1 wire -> domain mapping: meter values (values are numbers on the 2.0.1 wire, scaled by
 * `unitOfMeasure.multiplier`: value × 10^multiplier, then normalised to Wh/W/...; `signedMeterValue` kept
 * byte for byte), connector statuses, id tokens and their authorization, event types and times.
 * The domain -> wire direction for commands lives in commands.ts.
 */
import type { AuthorizationResult, EvseStatus, IdTokenRef, MeterReading, SignedReading } from '../../domain/model.js';
import type { TransactionEventKind } from '../../domain/transaction-events.js';
import { defaultUnit, normalise } from '../units.js';

export interface WireSignedMeterValue { signedMeterData: string; signingMethod: string; encodingMethod: string; publicKey: string }
export interface WireSampledValue {
  value: number;
  context?: string;
  measurand?: string;
  phase?: string;
  location?: string;
  signedMeterValue?: WireSignedMeterValue;
  unitOfMeasure?: { unit?: string; multiplier?: number };
}
export interface WireMeterValue { timestamp: string; sampledValue: WireSampledValue[] }
export interface WireIdToken { idToken: string; type: string; additionalInfo?: unknown[] }

export interface MappedMeterValues {
  readings: MeterReading[];
  signed: SignedReading[];
  /** Values that could not be read as numbers: kept in the fault, never silently dropped. */
  unreadable: Array<{ timestamp: string; sampledValue: WireSampledValue }>;
}

/** value × 10^multiplier without binary-fraction noise for negative multipliers (12345 × 10^-1 = 1234.5). */
export function applyMultiplier(value: number, multiplier: number | undefined): number {
  const m = Number.isInteger(multiplier) ? multiplier! : 0;
  return m >= 0 ? value * 10 ** m : value / 10 ** -m;
}

export function mapMeterValues(meterValues: WireMeterValue[] | undefined): MappedMeterValues {
  const out: MappedMeterValues = { readings: [], signed: [], unreadable: [] };
  for (const mv of meterValues ?? []) {
    const sampledAt = parseTime(mv.timestamp);
    for (const sv of mv.sampledValue ?? []) {
      // 2.0.1 SampledValueType defaults: measurand Energy.Active.Import.Register, context Sample.Periodic,
      // location Outlet, unit Wh for energy, multiplier 0.
      const measurand = sv.measurand ?? 'Energy.Active.Import.Register';
      const context = sv.context ?? 'Sample.Periodic';
      if (sv.signedMeterValue) {
        const s = sv.signedMeterValue;
        out.signed.push({
          sampledAt, context: signedContext(context), ocppContext: context, raw: s.signedMeterData,
          encodingMethod: s.encodingMethod, signingMethod: s.signingMethod, ...(s.publicKey ? { publicKey: s.publicKey } : {}),
        });
      }
      const number = typeof sv.value === 'number' ? sv.value : typeof sv.value === 'string' && (sv.value as string).trim() !== '' ? Number(sv.value) : NaN;
      if (!Number.isFinite(number)) {
        out.unreadable.push({ timestamp: mv.timestamp, sampledValue: sv });
        continue;
      }
      const multiplier = sv.unitOfMeasure?.multiplier ?? 0;
      const wireUnit = sv.unitOfMeasure?.unit;
      const { value, unit } = normalise(applyMultiplier(number, multiplier), wireUnit ?? defaultUnit(measurand));
      out.readings.push({
        sampledAt, measurand, phase: sv.phase, location: sv.location ?? 'Outlet', context, value, unit,
        rawValue: String(sv.value), rawUnit: multiplier ? `${wireUnit ?? defaultUnit(measurand)}*10^${multiplier}` : wireUnit,
      });
    }
  }
  return out;
}

export function signedContext(context: string): SignedReading['context'] {
  if (context === 'Transaction.Begin') return 'begin';
  if (context === 'Transaction.End') return 'end';
  return 'intermediate';
}

/** 2.0.1 ConnectorStatusEnumType (and NotifyEvent AvailabilityState values) -> the neutral EvseStatus. */
const STATUSES: Record<string, EvseStatus> = { Available: 'Available', Occupied: 'Occupied', Reserved: 'Reserved', Unavailable: 'Unavailable', Faulted: 'Faulted' };
export function toEvseStatus(connectorStatus: string): EvseStatus | undefined {
  return STATUSES[connectorStatus];
}

/** TransactionEventEnumType; an off-schema value that was salvaged counts as an update (it neither starts nor ends). */
export function eventKind(eventType: string): TransactionEventKind {
  if (eventType === 'Started') return 'started';
  if (eventType === 'Ended') return 'ended';
  return 'updated';
}

export function toIdTokenRef(token: WireIdToken): IdTokenRef {
  return { idTag: token.idToken, type: token.type };
}

/**
 * IdTokenEnumType NoAuthorization: the station has no way to identify anyone (a start button, a key) and
 * leaves idToken empty. There is nothing to look up or refuse: it is answered Accepted and the session
 * keeps no token (refusing would make a free-vend station stop every session under StopTxOnInvalidId).
 */
export function isNoAuthorization(token: WireIdToken | undefined): boolean {
  return token?.type === 'NoAuthorization';
}
export const NO_AUTHORIZATION_INFO = { status: 'Accepted' } as const;

/** Domain authorization -> IdTokenInfoType. The domain's statuses are 2.0.1's AuthorizationStatusEnumType. */
export function toIdTokenInfo(auth: AuthorizationResult): Record<string, unknown> {
  return {
    status: auth.status,
    ...(auth.expiresAt ? { cacheExpiryDateTime: auth.expiresAt.toISOString() } : {}),
    ...(auth.groupIdTag ? { groupIdToken: { idToken: auth.groupIdTag.slice(0, 36), type: 'Central' } } : {}),
  };
}

/** A wire timestamp as a Date; an unreadable one becomes "now" rather than losing the message. */
export function parseTime(text: string | undefined): Date {
  const d = text ? new Date(text) : new Date();
  return Number.isNaN(d.getTime()) ? new Date() : d;
}
