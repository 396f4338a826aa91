/**
 * Config -> domain SiteDefinition: the one place that knows both shapes. Location and tariff bodies keep
 * their OCPI field names; tariffs get the CPO's country_code and party_id (OCPI mod_tariffs).
 */
import type { Config } from './config.js';
import type { SiteDefinition } from './domain/site.js';

export function siteFromConfig(config: Config): SiteDefinition {
  const { cpo } = config;
  return {
    cpo: { countryCode: cpo.country_code, partyId: cpo.party_id, name: cpo.name, website: cpo.website },
    locations: config.locations.map(({ id, time_zone, publish, ...rest }) => ({ id, timeZone: time_zone, publish, data: { id, time_zone, publish, ...rest } })),
    tariffs: config.tariffs.map((t) => ({ id: t.id, data: { country_code: cpo.country_code, party_id: cpo.party_id, ...t } })),
    chargers: config.ocpp.chargers.map((c) => ({
      identity: c.identity,
      locationId: c.location,
      meterPublicKey: c.meter_public_key,
      evses: c.evses.map((e) => ({
        ocppId: e.ocpp_id, uid: e.uid ?? e.evse_id, evseId: e.evse_id, capabilities: e.capabilities, floorLevel: e.floor_level,
        physicalReference: e.physical_reference, meterPublicKey: e.meter_public_key, removed: e.removed,
        connectors: e.connectors.map((k, i) => ({
          connectorId: k.id, ocppConnectorId: k.ocpp_connector_id ?? i + 1, standard: k.standard, format: k.format, powerType: k.power_type,
          maxVoltageV: k.max_voltage, maxAmperageA: k.max_amperage, maxElectricPowerW: k.max_electric_power, tariffIds: k.tariff_ids,
          termsAndConditions: k.terms_and_conditions,
        })),
      })),
    })),
    tokens: config.ocpp.tokens.map((t) => ({ uid: t.uid, type: t.type, valid: t.valid, contractId: t.contract_id, visualNumber: t.visual_number })),
  };
}
