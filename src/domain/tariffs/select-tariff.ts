/**
 * Which Tariff prices a session (OCPI 2.2.1 mod_tariffs.asciidoc §Tariff object, mod_locations §Connector
 * tariff_ids): among the connector's tariff_ids, the tariffs active at session start (start_date_time <= start,
 * end_date_time not before start) whose type fits: the preferred type when one is given (PROFILE_* from
 * ChargingPreferences, AD_HOC_PAYMENT for terminal payment), else REGULAR; a tariff without type is valid for all
 * sessions and is taken when no tariff of the exact type is active. Among equals, the one that became active last
 * wins (a new tariff assigned beside the old one it replaces, tariff_6), then the connector's order.
 * The tariff active at start prices the whole session: the driver agreed to it (the spec's note on switching).
 */
import type { Tariff, TariffType } from './types.js';

export interface TariffChoice {
  /** The connector's tariff_ids, in the connector's order. */
  tariffIds: readonly string[];
  tariffs: readonly Tariff[];
  sessionStart: Date;
  preferredType?: TariffType;
}

const instant = (value: string | Date | undefined): number | undefined =>
  value === undefined ? undefined : value instanceof Date ? value.getTime() : Date.parse(value);

export function isTariffActiveAt(tariff: Tariff, at: Date): boolean {
  const ms = at.getTime();
  const from = instant(tariff.start_date_time);
  const to = instant(tariff.end_date_time);
  return (from === undefined || !(ms < from)) && (to === undefined || !(ms > to));
}

export function selectTariff(choice: TariffChoice): Tariff | undefined {
  const wanted: TariffType = choice.preferredType ?? 'REGULAR';
  const byId = new Map(choice.tariffs.map((t) => [t.id, t]));
  const candidates = choice.tariffIds
    .map((id, position) => ({ tariff: byId.get(id), position }))
    .filter((c): c is { tariff: Tariff; position: number } => c.tariff !== undefined)
    .filter((c) => isTariffActiveAt(c.tariff, choice.sessionStart))
    .filter((c) => c.tariff.type === undefined || c.tariff.type === wanted);
  const rank = (t: Tariff) => (t.type === wanted ? 1 : 0);
  candidates.sort(
    (a, b) =>
      rank(b.tariff) - rank(a.tariff) ||
      (instant(b.tariff.start_date_time) ?? -Infinity) - (instant(a.tariff.start_date_time) ?? -Infinity) ||
      a.position - b.position,
  );
  return candidates[0]?.tariff;
}
