/**
 * Tariffs module: OCPI 2.2.1 mod_tariffs.asciidoc §Object description (Tariff) and §Data types (TariffElement,
 * PriceComponent, TariffRestrictions and the enums); 2.1.1 mod_tariffs.md (suffix 211): no country_code,
 * party_id, type, min/max_price, start/end_date_time; no `vat`; no min/max_current or reservation restrictions.
 * Reference: shared/reference/ocpi-2.2.1.md §3.4, §4.
 */
import { z } from 'zod';
import { ciString, countryCode, currency, dateTime, displayText, displayText211, int, number, partyId, price, string211, url } from './common.js';
import { energyMix, energyMix211 } from './locations.js';

export const tariffType = z.enum(['AD_HOC_PAYMENT', 'PROFILE_CHEAP', 'PROFILE_FAST', 'PROFILE_GREEN', 'REGULAR']);
export const tariffDimensionType = z.enum(['ENERGY', 'FLAT', 'PARKING_TIME', 'TIME']);
export const dayOfWeek = z.enum(['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY']);
export const reservationRestrictionType = z.enum(['RESERVATION', 'RESERVATION_EXPIRES']);

/**
 * PriceComponent: `type` (1), `price` excl. VAT (1), `vat` % (? — absent means no VAT applies), `step_size` int (1).
 * step_size 0 is accepted: the spec's own free-of-charge example uses it on a FLAT component.
 */
export const priceComponent = z.looseObject({ type: tariffDimensionType, price: number, vat: number.min(0).optional(), step_size: int().min(0) });

const hhmm = z.string().max(5).regex(/^([0-1][0-9]|2[0-3]):[0-5][0-9]$/, 'HH:MM, 24h, leading zeros');
const yyyymmdd = z.string().max(10).regex(/^([12][0-9]{3})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$/, 'YYYY-MM-DD');

const restrictions211Fields = {
  start_time: hhmm.optional(),
  end_time: hhmm.optional(),
  start_date: yyyymmdd.optional(),
  end_date: yyyymmdd.optional(),
  min_kwh: number.min(0).optional(),
  max_kwh: number.min(0).optional(),
  min_power: number.optional(),
  max_power: number.optional(),
  min_duration: int().min(0).optional(),
  max_duration: int().min(0).optional(),
  day_of_week: z.array(dayOfWeek).optional(),
};
export const tariffRestrictions = z.looseObject({
  ...restrictions211Fields,
  min_current: number.optional(),
  max_current: number.optional(),
  reservation: reservationRestrictionType.optional(),
});
export const tariffElement = z.looseObject({ price_components: z.array(priceComponent).min(1), restrictions: tariffRestrictions.optional() });

export const tariff = z.looseObject({
  country_code: countryCode,
  party_id: partyId,
  id: ciString(36).min(1),
  currency,
  type: tariffType.optional(),
  tariff_alt_text: z.array(displayText).optional(),
  tariff_alt_url: url.optional(),
  min_price: price.optional(),
  max_price: price.optional(),
  elements: z.array(tariffElement).min(1),
  start_date_time: dateTime.optional(),
  end_date_time: dateTime.optional(),
  energy_mix: energyMix.optional(),
  last_updated: dateTime,
});

// ---- 2.1.1 ----
export const priceComponent211 = z.looseObject({ type: tariffDimensionType, price: number, step_size: int().min(0) });
export const tariffRestrictions211 = z.looseObject(restrictions211Fields);
export const tariffElement211 = z.looseObject({ price_components: z.array(priceComponent211).min(1), restrictions: tariffRestrictions211.optional() });
const tariff211Fields = {
  id: string211(36).min(1),
  currency: string211(3).regex(/^[A-Z]{3}$/, 'currency: ISO 4217'),
  tariff_alt_text: z.array(displayText211).optional(),
  tariff_alt_url: url.optional(),
  elements: z.array(tariffElement211).min(1),
  energy_mix: energyMix211.optional(),
  last_updated: dateTime,
};
export const tariff211 = z.looseObject(tariff211Fields);
/** 2.1.1 has a Tariff PATCH (tariffs.md): any subset of the fields. */
export const tariffPatch211 = z.looseObject(tariff211Fields).partial();
