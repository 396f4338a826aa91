/**
 * Types of the tariff engine. A Tariff mirrors OCPI 2.2.1 `mod_tariffs.asciidoc` field for field (the config writes
 * tariffs in OCPI's own names), so an OCPI Tariff object parsed from JSON can be passed in as it is.
 * The session input is domain data (Date, units in names); the output mirrors the OCPI CDR totals and ChargingPeriods.
 */

export type TariffType = 'AD_HOC_PAYMENT' | 'PROFILE_CHEAP' | 'PROFILE_FAST' | 'PROFILE_GREEN' | 'REGULAR';
export type TariffDimensionType = 'ENERGY' | 'FLAT' | 'PARKING_TIME' | 'TIME';
export type DayOfWeek = 'MONDAY' | 'TUESDAY' | 'WEDNESDAY' | 'THURSDAY' | 'FRIDAY' | 'SATURDAY' | 'SUNDAY';
export type ReservationRestrictionType = 'RESERVATION' | 'RESERVATION_EXPIRES';

/** OCPI Price: `incl_vat` optional. */
export interface Price {
  excl_vat: number;
  incl_vat?: number;
}

export interface PriceComponent {
  type: TariffDimensionType;
  /** Price per unit excl. VAT: per kWh (ENERGY), per hour (TIME, PARKING_TIME), per session (FLAT). */
  price: number;
  /** VAT in percent; absent = no VAT applicable (OCPI: different from 0 %). */
  vat?: number;
  /** Wh for ENERGY, seconds for TIME / PARKING_TIME; ignored for FLAT (0 accepted, tariff_5). */
  step_size: number;
}

/** All fields optional and AND-ed; times and dates are local to the Location's time zone. */
export interface TariffRestrictions {
  start_time?: string; // HH:MM
  end_time?: string; // HH:MM; < start_time wraps past midnight; 00:00 = end of day
  start_date?: string; // YYYY-MM-DD, inclusive
  end_date?: string; // YYYY-MM-DD, exclusive
  min_kwh?: number;
  max_kwh?: number;
  min_current?: number; // A, summed over phases
  max_current?: number;
  min_power?: number; // kW
  max_power?: number;
  min_duration?: number; // s since session start, inclusive
  max_duration?: number; // exclusive
  day_of_week?: DayOfWeek[];
  reservation?: ReservationRestrictionType;
}

export interface TariffElement {
  price_components: PriceComponent[];
  restrictions?: TariffRestrictions;
}

export interface Tariff {
  id: string;
  currency: string;
  type?: TariffType;
  min_price?: Price;
  max_price?: Price;
  elements: TariffElement[];
  /** OCPI DateTime (UTC) or a Date. */
  start_date_time?: string | Date;
  end_date_time?: string | Date;
  country_code?: string;
  party_id?: string;
  last_updated?: string | Date;
}

export interface MeterSample {
  at: Date;
  /** Energy delivered since the session started (not the meter register). */
  energyWh: number;
  /** Active power at `at`; describes the interval that ends at this sample. */
  powerW?: number;
  /** Current summed over phases at `at`; describes the interval that ends at this sample. */
  currentA?: number;
}

export interface PricingSession {
  startedAt: Date;
  endedAt: Date;
  /** IANA zone of the Location (OCPI Location.time_zone), e.g. Europe/Berlin. */
  timeZone: string;
  samples: MeterSample[];
  /** When the EV was requesting power (TIME); the rest of the session is PARKING_TIME. Derived when absent. */
  chargingIntervals?: Array<{ from: Date; to: Date }>;
  /** A reservation before the session. `expired`: never followed by charging: only the reservation is priced. */
  reservation?: { from: Date; to: Date; expired: boolean };
}

export type CdrDimensionType =
  | 'ENERGY' | 'FLAT' | 'MAX_CURRENT' | 'MIN_CURRENT' | 'MAX_POWER' | 'MIN_POWER'
  | 'PARKING_TIME' | 'RESERVATION_TIME' | 'TIME'
  /** Session only (mod_cdrs CdrDimensionType: not in CDRs); added to a Session's periods, never by the engine. */
  | 'POWER' | 'STATE_OF_CHARGE';

export interface CdrDimension {
  type: CdrDimensionType;
  /** kWh, hours, A or kW; rounded to 4 decimals (OCPI number). */
  volume: number;
}

export interface ChargingPeriod {
  start_date_time: string;
  dimensions: CdrDimension[];
  tariff_id?: string;
}

export interface PricedSession {
  currency: string;
  chargingPeriods: ChargingPeriod[];
  /** Rounded to the currency's minor unit, half up, after min_price / max_price. */
  total_cost: Price;
  /** The same before the final rounding (9 decimals), for audits and tests. */
  total_cost_unrounded: Price;
  total_fixed_cost?: Price;
  /** kWh */
  total_energy: number;
  total_energy_cost?: Price;
  /** Hours of the session (charging + parking), reservation excluded. */
  total_time: number;
  total_time_cost?: Price;
  total_parking_time?: number;
  total_parking_cost?: Price;
  total_reservation_cost?: Price;
  warnings: string[];
}
