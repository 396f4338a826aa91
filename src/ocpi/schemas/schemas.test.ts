/**
 * The limits the schemas enforce, per family (reference/ocpi-2.2.1.md §1.7, §2-§4): a valid object from the
 * spec's examples (or built here) is changed in one place and must fail at exactly that field; the accepted
 * edge cases (lower-case CiString ids, DateTime without `Z` or with fractions, exactly max length) must pass.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import * as s from './index.js';

const DIR = new URL('../../../test/fixtures/ocpi-examples/', import.meta.url);
const example = (file: string): any => JSON.parse(readFileSync(new URL(file, DIR), 'utf8'));
/** The fields that fail (each once, however many of its rules it breaks). */
const paths = (schema: z.ZodType, value: unknown) => [...new Set((schema.safeParse(value).error?.issues ?? []).map((i) => i.path.join('.')))];
/** A copy of `base` with `change` applied. */
const edit = (base: any, change: (o: any) => void) => {
  const copy = structuredClone(base);
  change(copy);
  return copy;
};

const LOCATION = example('location_example.json');
const SESSION = example('session_example_1_simple_start.json');
const CDR = example('cdr_example.json');
const TOKEN = example('token_example_2_full_rfid.json');
const TARIFF = example('tariff_4_complex.json');
const CREDENTIALS = example('credentials_example.json');

describe('common types (types.asciidoc)', () => {
  it.each([
    ['2015-06-29T20:39:09Z', true], ['2015-06-29T20:39:09', true], ['2016-12-29T17:45:09.2Z', true], ['2018-01-01T01:08:01.123', true],
    ['2015-06-29T20:39:09+00:00', false], ['2015-06-29 20:39:09Z', false], ['2015-13-29T20:39:09Z', false], ['2015-02-30T20:39:09Z', false],
    ['2015-06-29T24:00:00Z', false], ['2015-06-29', false], ['2018-01-01T01:08:01.123456789012Z', false],
  ])('DateTime %s -> %s', (value, ok) => {
    expect(s.dateTime.safeParse(value).success).toBe(ok);
  });

  it('CiString(36): 36 printable ASCII characters pass; 37, or a non-ASCII one, fail', () => {
    expect(s.ciString(36).safeParse('A'.repeat(36)).success).toBe(true);
    expect(s.ciString(36).safeParse('A'.repeat(37)).success).toBe(false);
    expect(s.ciString(36).safeParse('Straße').success).toBe(false);
  });

  it('string(n): UTF-8 allowed in 2.2.1, printable ASCII only in 2.1.1; no line breaks or tabs in either', () => {
    expect(s.string(45).safeParse('Straße 1').success).toBe(true);
    expect(s.string211(45).safeParse('Straße 1').success).toBe(false);
    for (const bad of ['line\nbreak', 'carriage\rreturn', 'tab\there']) {
      expect(s.string(45).safeParse(bad).success).toBe(false);
      expect(s.string211(45).safeParse(bad).success).toBe(false);
    }
  });

  it('country_code is a CiString(2): upper or lower case pass (compare case-insensitively); three letters or digits fail', () => {
    for (const ok of ['NL', 'nl', 'Nl']) expect(s.countryCode.safeParse(ok).success).toBe(true);
    for (const bad of ['NLD', 'N', 'N1', '']) expect(s.countryCode.safeParse(bad).success).toBe(false);
    for (const ok of ['EXA', 'exa', 'E2E']) expect(s.partyId.safeParse(ok).success).toBe(true);
    for (const bad of ['EXAM', 'EX', 'E-A']) expect(s.partyId.safeParse(bad).success).toBe(false);
  });

  it('URL: an absolute http(s) URL of at most 255 characters', () => {
    expect(s.url.safeParse(`https://example.com/${'a'.repeat(235)}`).success).toBe(true);
    expect(s.url.safeParse(`https://example.com/${'a'.repeat(236)}`).success).toBe(false);
    expect(s.url.safeParse('/ocpi/versions').success).toBe(false);
    expect(s.url.safeParse('https://example.com/a b').success).toBe(false);
  });

  it('DisplayText: language is ISO 639-1 (two lower-case letters), text at most 512', () => {
    expect(paths(s.displayText, { language: 'EN', text: 'x' })).toEqual(['language']);
    expect(paths(s.displayText, { language: 'en', text: 'x'.repeat(513) })).toEqual(['text']);
    expect(paths(s.displayText, { language: 'en' })).toEqual(['text']);
  });

  it('envelope: status_code is 4 digits, timestamp a DateTime, data may be absent', () => {
    const env = s.envelope(s.versionList);
    expect(paths(env, { status_code: 1000, timestamp: '2026-01-01T00:00:00Z' })).toEqual([]);
    expect(paths(env, { status_code: 200, timestamp: '2026-01-01T00:00:00Z' })).toEqual(['status_code']);
    expect(paths(env, { status_code: 1000, timestamp: '2026-01-01T00:00:00+01:00' })).toEqual(['timestamp']);
  });
});

describe('strict(): the emitted-output check', () => {
  it('an unknown field passes the loose schema (receivers must accept it) and fails the strict one, however deep', () => {
    const extra = edit(LOCATION, (l) => (l.evses[0].connectors[0].voltage = 230));
    expect(paths(s.location, extra)).toEqual([]);
    const issues = s.strict(s.location).safeParse(extra).error!.issues;
    expect(issues).toEqual([expect.objectContaining({ code: 'unrecognized_keys', keys: ['voltage'], path: ['evses', 0, 'connectors', 0] })]);
  });

  it('keeps refinements and is cached per schema', () => {
    expect(s.strict(s.location)).toBe(s.strict(s.location));
    expect(paths(s.strict(s.location), edit(LOCATION, (l) => (l.publish_allowed_to = [{ uid: 'X', type: 'RFID' }])))).toEqual(['publish_allowed_to']);
  });
});

describe('versions and credentials', () => {
  it('VersionDetails: at least one endpoint, 2.2.1 endpoints need a role, custom modules need a prefix', () => {
    const details = { version: '2.2.1', endpoints: [{ identifier: 'locations', role: 'SENDER', url: 'https://x.example/ocpi/2.2.1/locations' }] };
    expect(paths(s.versionDetails, details)).toEqual([]);
    expect(paths(s.versionDetails, { ...details, endpoints: [] })).toEqual(['endpoints']);
    expect(paths(s.versionDetails, edit(details, (d) => delete d.endpoints[0].role))).toEqual(['endpoints.0.role']);
    expect(paths(s.versionDetails, edit(details, (d) => (d.endpoints[0].identifier = 'parking')))).toEqual(['endpoints.0.identifier']);
    expect(paths(s.versionDetails, edit(details, (d) => (d.endpoints[0].identifier = 'nltnm-tokens')))).toEqual([]);
    expect(paths(s.versionDetails211, { version: '2.2.1', endpoints: [{ identifier: 'chargingprofiles', url: 'https://x.example/a' }] })).toEqual(['version', 'endpoints.0.identifier']);
  });

  it('Credentials: token string(64) without whitespace, roles + and unique, party_id CiString(3)', () => {
    expect(paths(s.credentials, CREDENTIALS)).toEqual([]);
    expect(paths(s.credentials, { ...CREDENTIALS, token: 'T'.repeat(65) })).toEqual(['token']);
    expect(paths(s.credentials, { ...CREDENTIALS, token: 'has space' })).toEqual(['token']);
    expect(paths(s.credentials, { ...CREDENTIALS, roles: [] })).toEqual(['roles']);
    expect(paths(s.credentials, edit(CREDENTIALS, (c) => (c.roles[0].party_id = 'EXAM')))).toEqual(['roles.0.party_id']);
    expect(paths(s.credentials, edit(CREDENTIALS, (c) => c.roles.push({ ...c.roles[0], party_id: c.roles[0].party_id.toLowerCase() })))).toEqual(['roles']);
    expect(paths(s.credentials, edit(CREDENTIALS, (c) => delete c.roles[0].business_details))).toEqual(['roles.0.business_details']);
    // 2.1.1 is flat; a 2.2.1 body is not a 2.1.1 one
    expect(paths(s.credentials211, CREDENTIALS)).toEqual(['business_details', 'party_id', 'country_code']);
  });
});

describe('locations', () => {
  it.each([
    ['id CiString(36) with 37 characters', (l: any) => (l.id = 'L'.repeat(37)), 'id'],
    ['missing country_code', (l: any) => delete l.country_code, 'country_code'],
    ['missing time_zone', (l: any) => delete l.time_zone, 'time_zone'],
    ['country not ISO alpha-3', (l: any) => (l.country = 'BE'), 'country'],
    ['city string(45) with 46', (l: any) => (l.city = 'c'.repeat(46)), 'city'],
    ['address over 255 (erratum: 45 -> 255)', (l: any) => (l.address = 'a'.repeat(256)), 'address'],
    ['latitude with 4 decimals', (l: any) => (l.coordinates.latitude = '51.0475'), 'coordinates.latitude'],
    ['longitude with 8 decimals', (l: any) => (l.coordinates.longitude = '3.72994412'), 'coordinates.longitude'],
    ['latitude as a number', (l: any) => (l.coordinates.latitude = 51.047599), 'coordinates.latitude'],
    ['unknown parking_type', (l: any) => (l.parking_type = 'ON_DRIVE'), 'parking_type'],
    ['EVSE without connectors', (l: any) => (l.evses[0].connectors = []), 'evses.0.connectors'],
    ['EVSE uid CiString(36) with 37', (l: any) => (l.evses[0].uid = 'U'.repeat(37)), 'evses.0.uid'],
    ['evse_id CiString(48) with 49', (l: any) => (l.evses[0].evse_id = 'E'.repeat(49)), 'evses.0.evse_id'],
    ['unknown EVSE status', (l: any) => (l.evses[0].status = 'OCCUPIED'), 'evses.0.status'],
    ['unknown capability', (l: any) => (l.evses[0].capabilities = ['WIRELESS']), 'evses.0.capabilities.0'],
    ['floor_level string(4) with 5', (l: any) => (l.evses[0].floor_level = '-1000'), 'evses.0.floor_level'],
    ['physical_reference string(16) with 17', (l: any) => (l.evses[0].physical_reference = 'p'.repeat(17)), 'evses.0.physical_reference'],
    ['connector standard in the wrong case', (l: any) => (l.evses[0].connectors[0].standard = 'IEC_60309_2_SINGLE_16'), 'evses.0.connectors.0.standard'],
    ['connector max_voltage not an integer', (l: any) => (l.evses[0].connectors[0].max_voltage = 230.5), 'evses.0.connectors.0.max_voltage'],
    ['connector without last_updated', (l: any) => delete l.evses[0].connectors[0].last_updated, 'evses.0.connectors.0.last_updated'],
    ['publish_allowed_to while publish is true', (l: any) => (l.publish_allowed_to = [{ group_id: 'G1' }]), 'publish_allowed_to'],
    ['opening hours not 24/7 without regular_hours', (l: any) => (l.opening_times = { twentyfourseven: false }), 'opening_times.regular_hours'],
    ['regular hours weekday 8', (l: any) => (l.opening_times = { twentyfourseven: false, regular_hours: [{ weekday: 8, period_begin: '08:00', period_end: '20:00' }] }), 'opening_times.regular_hours.0.weekday'],
    ['regular_hours while twentyfourseven is true', (l: any) => (l.opening_times = { twentyfourseven: true, regular_hours: [{ weekday: 1, period_begin: '08:00', period_end: '20:00' }] }), 'opening_times.regular_hours'],
    ['a regular period that ends before it begins', (l: any) => (l.opening_times = { twentyfourseven: false, regular_hours: [{ weekday: 1, period_begin: '20:00', period_end: '08:00' }] }), 'opening_times.regular_hours.0.period_end'],
    ['regular hours 24:00', (l: any) => (l.opening_times = { twentyfourseven: false, regular_hours: [{ weekday: 1, period_begin: '08:00', period_end: '24:00' }] }), 'opening_times.regular_hours.0.period_end'],
    ['energy source over 100 %', (l: any) => (l.energy_mix = { is_green_energy: true, energy_sources: [{ source: 'SOLAR', percentage: 101 }] }), 'energy_mix.energy_sources.0.percentage'],
    ['2.1.1 environ_impact.source in a 2.2.1 Location', (l: any) => (l.energy_mix = { is_green_energy: true, environ_impact: [{ source: 'CARBON_DIOXIDE', amount: 1 }] }), 'energy_mix.environ_impact.0.category'],
    ['image type CiString(4) with 5', (l: any) => (l.images = [{ url: 'https://x.example/a.jpeg', category: 'LOCATION', type: 'jpeg2' }]), 'images.0.type'],
    ['operator name string(100) with 101', (l: any) => (l.operator.name = 'n'.repeat(101)), 'operator.name'],
  ])('Location fails with %s', (_name, change, path) => {
    expect(paths(s.location, edit(LOCATION, change))).toEqual([path]);
  });

  it('PublishTokenType: one of uid / visual_number / group_id; uid needs type; visual_number needs issuer', () => {
    const unpublished = (p: unknown) => ({ ...LOCATION, publish: false, publish_allowed_to: [p] });
    expect(paths(s.location, unpublished({ uid: '12345', type: 'RFID' }))).toEqual([]);
    expect(paths(s.location, unpublished({ issuer: 'X' }))).toEqual(['publish_allowed_to.0']);
    expect(paths(s.location, unpublished({ uid: '12345' }))).toEqual(['publish_allowed_to.0.type']);
    expect(paths(s.location, unpublished({ visual_number: '1234-5678' }))).toEqual(['publish_allowed_to.0.issuer']);
  });

  it('PATCH bodies need last_updated in 2.2.1; 2.1.1 ones do not', () => {
    expect(paths(s.evsePatch, { status: 'CHARGING' })).toEqual(['last_updated']);
    expect(paths(s.evsePatch, { status: 'CHARGING', last_updated: '2026-01-01T00:00:00Z' })).toEqual([]);
    expect(paths(s.evsePatch211, { status: 'CHARGING' })).toEqual([]);
    expect(paths(s.connectorPatch, { tariff_ids: ['T'.repeat(37)], last_updated: '2026-01-01T00:00:00Z' })).toEqual(['tariff_ids.0']);
  });

  it('2.1.1 Location: type instead of parking_type, postal_code required, 6 decimals, voltage/amperage, 2.1.1 enums only', () => {
    const connector = { id: '1', standard: 'IEC_62196_T2', format: 'SOCKET', power_type: 'AC_3_PHASE', voltage: 230, amperage: 16, tariff_id: '11', last_updated: '2015-03-16T10:10:02Z' };
    const loc211 = {
      id: 'LOC1', type: 'ON_STREET', address: 'F.Rooseveltlaan 3A', city: 'Gent', postal_code: '9000', country: 'BEL', coordinates: { latitude: '51.047599', longitude: '3.729944' },
      evses: [{ uid: '3256', status: 'AVAILABLE', capabilities: ['RESERVABLE'], connectors: [connector], last_updated: '2015-06-28T08:12:01Z' }], last_updated: '2015-06-28T08:12:01Z',
    };
    expect(paths(s.strict(s.location211), loc211)).toEqual([]);
    expect(paths(s.location211, { ...loc211, coordinates: { latitude: '51.04759', longitude: '3.729944' } })).toEqual(['coordinates.latitude']);
    expect(paths(s.location211, edit(loc211, (l) => delete l.postal_code))).toEqual(['postal_code']);
    expect(paths(s.location211, edit(loc211, (l) => (l.type = 'ALONG_MOTORWAY')))).toEqual(['type']);
    expect(paths(s.location211, edit(loc211, (l) => (l.evses[0].capabilities = ['CHARGING_PREFERENCES_CAPABLE'])))).toEqual(['evses.0.capabilities.0']);
    expect(paths(s.location211, edit(loc211, (l) => (l.evses[0].connectors[0].power_type = 'AC_2_PHASE')))).toEqual(['evses.0.connectors.0.power_type']);
    expect(paths(s.location211, edit(loc211, (l) => (l.name = 'Gent Süd')))).toEqual(['name']);
    expect(paths(s.location211, edit(loc211, (l) => (l.opening_times = { twentyfourseven: true, regular_hours: [] })))).toEqual(['opening_times']);
    // 2.2.1 fields leaking into 2.1.1 output are what strict() catches
    const leaked = s.strict(s.location211).safeParse({ ...loc211, publish: true, parking_type: 'ON_STREET' }).error!.issues;
    expect(leaked).toEqual([expect.objectContaining({ code: 'unrecognized_keys', keys: ['publish', 'parking_type'] })]);
    expect(paths(s.location211, LOCATION)).toEqual(expect.arrayContaining(['type', 'evses.0.connectors.0.voltage']));
  });
});

describe('tariffs', () => {
  it.each([
    ['no elements', (t: any) => (t.elements = []), 'elements'],
    ['an element without price components', (t: any) => (t.elements[0].price_components = []), 'elements.0.price_components'],
    ['step_size not an integer', (t: any) => (t.elements[0].price_components[0].step_size = 1.5), 'elements.0.price_components.0.step_size'],
    ['a negative VAT', (t: any) => (t.elements[0].price_components[0].vat = -1), 'elements.0.price_components.0.vat'],
    ['an unknown dimension', (t: any) => (t.elements[0].price_components[0].type = 'KWH'), 'elements.0.price_components.0.type'],
    ['start_time 7:00 (no leading zero)', (t: any) => (t.elements[0].restrictions = { start_time: '7:00' }), 'elements.0.restrictions.start_time'],
    ['end_date 2026-02-30T00:00', (t: any) => (t.elements[0].restrictions = { end_date: '2026-02-30T00:00' }), 'elements.0.restrictions.end_date'],
    ['day_of_week in lower case', (t: any) => (t.elements[0].restrictions = { day_of_week: ['monday'] }), 'elements.0.restrictions.day_of_week.0'],
    ['an unknown reservation restriction', (t: any) => (t.elements[0].restrictions = { reservation: 'EXPIRES' }), 'elements.0.restrictions.reservation'],
    ['min_price without excl_vat', (t: any) => (t.min_price = { incl_vat: 1 }), 'min_price.excl_vat'],
    ['currency in lower case', (t: any) => (t.currency = 'eur'), 'currency'],
    ['an unknown tariff type', (t: any) => (t.type = 'CHEAP'), 'type'],
  ])('Tariff fails with %s', (_name, change, path) => {
    expect(paths(s.tariff, edit(TARIFF, change))).toEqual([path]);
  });

  it('2.1.1 Tariff: no vat, no min_current or reservation restrictions, no country_code / party_id', () => {
    const t211 = { id: '12', currency: 'EUR', elements: [{ price_components: [{ type: 'TIME', price: 2, step_size: 300 }], restrictions: { max_power: 22 } }], last_updated: '2015-02-02T14:15:01Z' };
    expect(paths(s.strict(s.tariff211), t211)).toEqual([]);
    const issues = (v: unknown) => s.strict(s.tariff211).safeParse(v).error!.issues.map((i) => `${i.path.join('.')}:${i.code}`);
    expect(issues(edit(t211, (t) => (t.elements[0].price_components[0].vat = 10)))).toEqual(['elements.0.price_components.0:unrecognized_keys']);
    expect(issues(edit(t211, (t) => (t.elements[0].restrictions = { reservation: 'RESERVATION', min_current: 16 })))).toEqual(['elements.0.restrictions:unrecognized_keys']);
    expect(issues({ ...t211, country_code: 'BE', party_id: 'BEC' })).toEqual([':unrecognized_keys']);
  });
});

describe('sessions and CDRs', () => {
  it.each([
    ['id CiString(36) with 37', (x: any) => (x.id = 'S'.repeat(37)), 'id'],
    ['no cdr_token', (x: any) => delete x.cdr_token, 'cdr_token'],
    ['cdr_token uid with 37', (x: any) => (x.cdr_token.uid = 'U'.repeat(37)), 'cdr_token.uid'],
    ['cdr_token of an unknown type', (x: any) => (x.cdr_token.type = 'CARD'), 'cdr_token.type'],
    ['status RESERVED (the text\'s word; the enum says RESERVATION)', (x: any) => (x.status = 'RESERVED'), 'status'],
    ['kwh as a string', (x: any) => (x.kwh = '0.00'), 'kwh'],
    ['a period without dimensions', (x: any) => (x.charging_periods = [{ start_date_time: '2015-06-29T22:39:09Z', dimensions: [] }]), 'charging_periods.0.dimensions'],
    ['an ENERGY volume in Wh', (x: any) => (x.kwh = 1.5, x.charging_periods = [{ start_date_time: '2015-06-29T22:39:09Z', dimensions: [{ type: 'ENERGY', volume: 1500 }] }]), 'charging_periods'],
    ['STATE_OF_CHARGE over 100', (x: any) => (x.charging_periods = [{ start_date_time: '2015-06-29T22:39:09Z', dimensions: [{ type: 'STATE_OF_CHARGE', volume: 101 }] }]), 'charging_periods.0.dimensions.0.volume'],
    ['total_cost as a number (the 2.1.1 form)', (x: any) => (x.total_cost = 0.5), 'total_cost'],
    ['start_date_time with an offset', (x: any) => (x.start_date_time = '2015-06-29T22:39:09+02:00'), 'start_date_time'],
  ])('Session fails with %s', (_name, change, path) => {
    expect(paths(s.session, edit(SESSION, change))).toEqual([path]);
  });

  it('ChargingPreferences: a profile type from the enum, energy_need not negative', () => {
    expect(paths(s.chargingPreferences, { profile_type: 'FAST', departure_time: '2026-01-01T18:00:00Z', energy_need: 20 })).toEqual([]);
    expect(paths(s.chargingPreferences, { profile_type: 'QUICK' })).toEqual(['profile_type']);
    expect(paths(s.chargingPreferences, { profile_type: 'FAST', energy_need: -1 })).toEqual(['energy_need']);
  });

  it.each([
    ['id CiString(39) with 40', (x: any) => (x.id = 'C'.repeat(40)), 'id'],
    ['no charging periods', (x: any) => (x.charging_periods = []), 'charging_periods'],
    ['a Session-only dimension (STATE_OF_CHARGE)', (x: any) => x.charging_periods[0].dimensions.push({ type: 'STATE_OF_CHARGE', volume: 80 }), 'charging_periods.0.dimensions.1.type'],
    ['no total_cost', (x: any) => delete x.total_cost, 'total_cost'],
    ['no end_date_time', (x: any) => delete x.end_date_time, 'end_date_time'],
    ['cdr_location.address string(45) with 46 (the erratum changed only Location)', (x: any) => (x.cdr_location.address = 'a'.repeat(46)), 'cdr_location.address'],
    ['cdr_location without evse_id', (x: any) => delete x.cdr_location.evse_id, 'cdr_location.evse_id'],
    ['a credit CDR without credit_reference_id', (x: any) => (x.credit = true), 'credit_reference_id'],
    ['parking longer than the whole session', (x: any) => (x.total_parking_time = 2), 'total_parking_time'],
    ['signed_data without signed values', (x: any) => (x.signed_data = { encoding_method: 'OCMF', signed_values: [] }), 'signed_data.signed_values'],
    ['signed_data over 5000 characters', (x: any) => (x.signed_data = { encoding_method: 'OCMF', signed_values: [{ nature: 'Start', plain_data: 'p', signed_data: 'A'.repeat(5001) }] }), 'signed_data.signed_values.0.signed_data'],
    ['remark string(255) with 256', (x: any) => (x.remark = 'r'.repeat(256)), 'remark'],
    ['a tariff that is not a valid Tariff', (x: any) => delete x.tariffs[0].last_updated, 'tariffs.0.last_updated'],
  ])('CDR fails with %s', (_name, change, path) => {
    expect(paths(s.cdr, edit(CDR, change))).toEqual([path]);
  });

  it('a credit CDR (id + "-C", 39 characters) with its reference passes; plain_data may be 5000 (erratum)', () => {
    const credit = edit(CDR, (c) => {
      c.id = `${'X'.repeat(36)}-C`;
      c.credit = true;
      c.credit_reference_id = 'X'.repeat(36);
      c.total_cost = { excl_vat: -4, incl_vat: -4.4 };
      c.signed_data = { encoding_method: 'OCMF', signed_values: [{ nature: 'Start', plain_data: 'p'.repeat(5000), signed_data: 'AAAA' }] };
    });
    expect(paths(s.strict(s.cdr), credit)).toEqual([]);
  });

  it('2.1.1 Session and CDR: auth_id, start_datetime / stop_date_time, a Location, numbers for cost, no COMMAND', () => {
    expect(paths(s.session211, SESSION)).toEqual(expect.arrayContaining(['start_datetime', 'auth_id', 'location']));
    expect(paths(s.cdr211, CDR)).toEqual(expect.arrayContaining(['stop_date_time', 'auth_id', 'location', 'total_cost']));
    expect(s.authMethod211.safeParse('COMMAND').success).toBe(false);
    expect(s.sessionStatus211.safeParse('RESERVATION').success).toBe(false);
    expect(s.cdrDimensionType211.safeParse('FLAT').success).toBe(true);
    expect(s.cdrDimensionType211.safeParse('STATE_OF_CHARGE').success).toBe(false);
  });
});

describe('tokens, commands, charging profiles', () => {
  it.each([
    ['uid CiString(36) with 37', (t: any) => (t.uid = 'U'.repeat(37)), 'uid'],
    ['no issuer', (t: any) => delete t.issuer, 'issuer'],
    ['an unknown whitelist', (t: any) => (t.whitelist = 'SOMETIMES'), 'whitelist'],
    ['valid as a string', (t: any) => (t.valid = 'true'), 'valid'],
    ['energy_contract without supplier_name', (t: any) => (t.energy_contract = { contract_id: '1' }), 'energy_contract.supplier_name'],
    ['visual_number string(64) with 65', (t: any) => (t.visual_number = 'v'.repeat(65)), 'visual_number'],
  ])('Token fails with %s', (_name, change, path) => {
    expect(paths(s.token, edit(TOKEN, change))).toEqual([path]);
  });

  it('AuthorizationInfo carries the complete token; 2.1.1 Token uses auth_id and knows RFID and OTHER only', () => {
    expect(paths(s.authorizationInfo, { allowed: 'ALLOWED', token: TOKEN, location: { location_id: 'LOC1', evse_uids: ['3256'] } })).toEqual([]);
    expect(paths(s.authorizationInfo, { allowed: 'ALLOWED' })).toEqual(['token']);
    expect(paths(s.authorizationInfo, { allowed: 'OK', token: TOKEN })).toEqual(['allowed']);
    const t211 = { uid: '012345678', type: 'RFID', auth_id: 'DE8ACC12E46L89', issuer: 'TNM', valid: true, whitelist: 'ALLOWED', last_updated: '2015-06-29T22:39:09Z' };
    expect(paths(s.strict(s.token211), t211)).toEqual([]);
    expect(paths(s.token211, { ...t211, type: 'APP_USER' })).toEqual(['type']);
  });

  it('commands: StartSession connector_id only with evse_uid; ReserveNow reservation_id CiString(36) (int in 2.1.1); CommandResponse needs timeout', () => {
    const start = { response_url: 'https://emsp.example/cmd/1', token: TOKEN, location_id: 'LOC1', evse_uid: '3256', connector_id: '1' };
    expect(paths(s.startSession, start)).toEqual([]);
    expect(paths(s.startSession, edit(start, (x) => delete x.evse_uid))).toEqual(['evse_uid']);
    expect(paths(s.startSession, { ...start, response_url: 'not a url' })).toEqual(['response_url']);
    const reserve = { response_url: 'https://emsp.example/cmd/2', token: TOKEN, expiry_date: '2026-01-01T10:00:00Z', reservation_id: 'R'.repeat(36), location_id: 'LOC1' };
    expect(paths(s.reserveNow, reserve)).toEqual([]);
    expect(paths(s.reserveNow, { ...reserve, reservation_id: 'R'.repeat(37) })).toEqual(['reservation_id']);
    expect(paths(s.reserveNow211, { ...reserve, token: { uid: '1', type: 'RFID', auth_id: 'A', issuer: 'I', valid: true, whitelist: 'ALWAYS', last_updated: '2015-06-29T22:39:09Z' } })).toEqual(['reservation_id']);
    expect(paths(s.commandResponse, { result: 'ACCEPTED', timeout: 30 })).toEqual([]);
    expect(paths(s.commandResponse, { result: 'ACCEPTED' })).toEqual(['timeout']);
    expect(paths(s.commandResponse, { result: 'TIMEOUT', timeout: 30 })).toEqual(['result']); // a CommandResult value, not a response
    expect(paths(s.commandResult, { result: 'TIMEOUT' })).toEqual([]);
    expect(paths(s.commandResponse211, { result: 'TIMEOUT' })).toEqual([]);
    expect(s.commandType211.safeParse('CANCEL_RESERVATION').success).toBe(false);
  });

  it('charging profiles: a rate unit W or A, periods with integer start_period, results from their enums', () => {
    const profile = { charging_rate_unit: 'W', charging_profile_period: [{ start_period: 0, limit: 11000 }, { start_period: 1800, limit: 7400 }] };
    expect(paths(s.setChargingProfile, { charging_profile: profile, response_url: 'https://emsp.example/cp/1' })).toEqual([]);
    expect(paths(s.setChargingProfile, { charging_profile: { ...profile, charging_rate_unit: 'kW' }, response_url: 'https://emsp.example/cp/1' })).toEqual(['charging_profile.charging_rate_unit']);
    expect(paths(s.chargingProfile, { ...profile, charging_profile_period: [{ start_period: 0.5, limit: 1 }] })).toEqual(['charging_profile_period.0.start_period']);
    expect(paths(s.activeChargingProfile, { charging_profile: profile })).toEqual(['start_date_time']);
    expect(paths(s.chargingProfileResponse, { result: 'TOO_OFTEN', timeout: 10 })).toEqual([]);
    expect(paths(s.clearProfileResult, { result: 'TOO_OFTEN' })).toEqual(['result']);
  });
});
