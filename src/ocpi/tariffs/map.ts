/**
 * Stored Tariff (the config's OCPI 2.2.1 object with country_code, party_id filled in) -> OCPI Tariff,
 * 2.2.1 (mod_tariffs) and 2.1.1 (tariffs.md). 2.1.1 has no country_code/party_id/type/min_price/max_price/
 * start_date_time/end_date_time, no `vat` on PriceComponent, no min/max_current or reservation restrictions:
 * an element that only prices reservations is left out (2.1.1 has no reservations).
 */
import type { TariffRecord } from '../../domain/records.js';
import { ocpiDateTime } from '../envelope.js';
import { energyMix211 } from '../locations/map.js';
import { compact, deepAscii } from '../shape.js';

type Json = Record<string, any>;

export function tariff221(t: TariffRecord): Json {
  return { ...t.data, last_updated: ocpiDateTime(t.lastUpdatedMs) };
}

const RESTRICTIONS_211 = ['start_time', 'end_time', 'start_date', 'end_date', 'min_kwh', 'max_kwh', 'min_power', 'max_power', 'min_duration', 'max_duration', 'day_of_week'];

export function tariff211(t: TariffRecord): Json {
  return tariffObject211({ ...(t.data as Json), id: t.id, last_updated: ocpiDateTime(t.lastUpdatedMs) });
}

/**
 * A 2.2.1 Tariff object in its 2.1.1 form: the served ones and the copies inside a CDR (which must not carry
 * `vat`, `min_current` or `reservation` to a 2.1.1 eMSP either). EnergyMix impact categories are `source` in 2.1.1.
 * Elements that only apply under a condition 2.1.1 cannot express (a reservation, a min/max current) are left out
 * rather than shown without it: an element stripped of its condition would apply always and shadow the elements
 * after it (a 0.45 EUR/kWh fast-charging price shown as the price of every session). Only when nothing else would
 * remain (a Tariff needs one element) are the current-bound elements kept, without that condition.
 */
export function tariffObject211(d: Json): Json {
  const usable = (d.elements as Json[]).filter((e) => !e.restrictions?.reservation);
  const unconditional = usable.filter((e) => e.restrictions?.min_current === undefined && e.restrictions?.max_current === undefined);
  const elements = (unconditional.length ? unconditional : usable)
    .map((e) => compact({
      price_components: (e.price_components as Json[]).map((p) => ({ type: p.type, price: p.price, step_size: p.step_size })),
      restrictions: e.restrictions ? restrictions211(e.restrictions) : undefined,
    }));
  return deepAscii(compact({
    id: d.id, currency: d.currency, tariff_alt_text: d.tariff_alt_text, tariff_alt_url: d.tariff_alt_url, elements,
    energy_mix: d.energy_mix ? energyMix211(d.energy_mix) : undefined, last_updated: d.last_updated,
  }));
}

function restrictions211(r: Json): Json | undefined {
  const kept = Object.fromEntries(RESTRICTIONS_211.filter((k) => r[k] !== undefined).map((k) => [k, r[k]]));
  return Object.keys(kept).length ? kept : undefined;
}
