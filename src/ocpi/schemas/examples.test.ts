/**
 * The specification's own example payloads (test/fixtures/ocpi-examples, OCPI 2.2.1-d2, unmodified) against
 * the schemas. Every example parses, and also under strict() (so the schemas know every field the spec uses),
 * except the defects listed in the fixtures' README: each must fail with exactly its documented issue, so
 * a schema that grows too lax makes this test fail. Every file in the folder must have a row here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import * as s from './index.js';

const DIR = new URL('../../../test/fixtures/ocpi-examples/', import.meta.url);
const load = (file: string): unknown => JSON.parse(readFileSync(new URL(file, DIR), 'utf8'));

/** What an example is: the schema of its object (README "What each file is"). */
const OBJECT_OF: Record<string, z.ZodType> = {
  'versions_info_example.json': s.versionList,
  'version_details_example.json': s.versionDetails,
  'version_details_example2.json': s.versionDetails,
  'transport_and_format_version_info_example.json': s.envelope(s.versionList),
  'transport_and_format_version_details_example.json': s.envelope(s.versionDetails),
  'transport_and_format_get_token_example.json': s.envelope(s.token),
  'transport_and_format_get_token_list_example.json': s.envelope(z.array(s.token)),
  'credentials_example.json': s.credentials,
  'credentials_example2.json': s.credentials,
  'credentials_example3.json': s.credentials,
  'credentials_example4.json': s.credentials,
  'location_example.json': s.location,
  'location_example_parking_garage_opening_hours.json': s.location,
  'location_example_uc2_destination_charger.json': s.location,
  'location_example_uc3_destination_charger_not_published.json': s.location,
  'location_example_uc4_limited_visibility.json': s.location,
  'location_example_uc5_home_charge_point.json': s.location,
  'location_put_example_add_evse.json': s.evse,
  'location_patch_example_location.json': s.locationPatch,
  'location_patch_example_remove_evse.json': s.evsePatch,
  'location_patch_example_status.json': s.evsePatch,
  'location_patch_example_tariff.json': s.connectorPatch,
  'location_hours_247_open_exception_closing.json': s.hours,
  'location_hours_opening_hours_with_exceptional_closing.json': s.hours,
  'location_hours_opening_hours_with_exceptional_opening.json': s.hours,
  'location_regularhours_example.json': z.looseObject({ opening_times: s.hours }),
  'location_energymix_example_complete.json': z.looseObject({ energy_mix: s.energyMix }),
  'location_energymix_example_energy_provider.json': z.looseObject({ energy_mix: s.energyMix }),
  'location_energymix_example_simple.json': z.looseObject({ energy_mix: s.energyMix }),
  'session_example_1_simple_start.json': s.session,
  'session_example_2_short_finished.json': s.session,
  'session_patch_example_charging_period.json': s.sessionPatch,
  'session_patch_example_total_cost.json': s.sessionPatch,
  'cdr_example.json': s.cdr,
  'token_example_1_app_user.json': s.token,
  'token_example_2_full_rfid.json': s.token,
  'token_put_example.json': s.token,
  'token_patch_example.json': s.tokenPatch,
  'type_displaytext_example.json': s.displayText,
};
const files = readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();
for (const f of files) if (/^tariff(restriction)?_/.test(f)) OBJECT_OF[f] = s.tariff;

/** The README's known defects a schema can see, with the issues they must produce (path + code). */
const DEFECTS: Record<string, Array<{ path: Array<string | number>; code: string }>> = {
  // `floor` instead of floor_level, physical_reference a number, connector without power_type/max_voltage/max_amperage/last_updated.
  'location_put_example_add_evse.json': [
    { path: ['connectors', 0, 'power_type'], code: 'invalid_value' },
    { path: ['connectors', 0, 'max_voltage'], code: 'invalid_type' },
    { path: ['connectors', 0, 'max_amperage'], code: 'invalid_type' },
    { path: ['connectors', 0, 'last_updated'], code: 'invalid_type' },
    { path: ['physical_reference'], code: 'invalid_type' },
  ],
  // Tariff.last_updated is required.
  'tariff_put_example.json': [{ path: ['last_updated'], code: 'invalid_type' }],
  // ENERGY volumes in Wh (120 + 41000 against kwh 41.12; 2200 against kwh 15): ocpi/ocpi#465.
  'session_example_2_short_finished.json': [{ path: ['charging_periods'], code: 'custom' }],
  'session_patch_example_charging_period.json': [{ path: ['charging_periods'], code: 'custom' }],
};

const issuesOf = (schema: z.ZodType, value: unknown) =>
  (schema.safeParse(value).error?.issues ?? []).map((i) => ({ path: i.path, code: i.code }));

describe('OCPI 2.2.1 specification examples (test/fixtures/ocpi-examples)', () => {
  it('every example file has a schema row (59 files)', () => {
    expect(files).toHaveLength(59);
    expect(files.filter((f) => !OBJECT_OF[f])).toEqual([]);
  });

  const valid = files.filter((f) => !DEFECTS[f]);
  it.each(valid)('%s is valid, also with no field unknown to the schema', (file) => {
    const value = load(file);
    expect(issuesOf(OBJECT_OF[file]!, value)).toEqual([]);
    expect(issuesOf(s.strict(OBJECT_OF[file]!), value)).toEqual([]);
  });

  it.each(Object.keys(DEFECTS))('%s fails with exactly its documented defect', (file) => {
    const got = issuesOf(OBJECT_OF[file]!, load(file));
    const key = (i: { path: Array<string | number | symbol>; code: string }) => `${i.path.join('.')}:${i.code}`;
    expect(got.map(key).sort()).toEqual(DEFECTS[file]!.map(key).sort());
  });

  it('location_put_example_add_evse.json: strict() also names the misspelt `floor`', () => {
    const issues = s.strict(s.evse).safeParse(load('location_put_example_add_evse.json')).error!.issues;
    expect(issues).toContainEqual(expect.objectContaining({ code: 'unrecognized_keys', keys: ['floor'], path: [] }));
  });

  it.each(['version_details_example.json', 'version_details_example2.json'])('%s: "2.2" is a VersionNumber, but not the details of a 2.2.1 endpoint', (file) => {
    expect(issuesOf(s.versionDetailsOf('2.2.1'), load(file))).toEqual([{ path: ['version'], code: 'invalid_value' }]);
  });

  it('transport_and_format_version_details_example.json: same "2.2" defect inside the envelope', () => {
    expect(issuesOf(s.envelope(s.versionDetailsOf('2.2.1')), load('transport_and_format_version_details_example.json'))).toEqual([{ path: ['data', 'version'], code: 'invalid_value' }]);
  });

  it('cdr_example.json: the swapped Gent coordinates still match both regexes (a schema cannot see this defect)', () => {
    const cdr = load('cdr_example.json') as { cdr_location: { coordinates: { latitude: string; longitude: string } } };
    expect(cdr.cdr_location.coordinates).toEqual({ latitude: '3.729944', longitude: '51.047599' });
    expect(s.geoLocation.safeParse(cdr.cdr_location.coordinates).success).toBe(true);
  });

  it('tariff_5_free_of_charge.json: FLAT with step_size 0 is accepted (README: accept 0 when parsing), a negative one is not', () => {
    const t = load('tariff_5_free_of_charge.json') as any;
    expect(t.elements[0].price_components[0]).toMatchObject({ type: 'FLAT', step_size: 0 });
    t.elements[0].price_components[0].step_size = -1;
    expect(issuesOf(s.tariff, t)).toEqual([{ path: ['elements', 0, 'price_components', 0, 'step_size'], code: 'too_small' }]);
  });

  it('the defective session examples pass once the energy is given in kWh (the only defect)', () => {
    const session = load('session_example_2_short_finished.json') as any;
    for (const p of session.charging_periods) for (const d of p.dimensions) if (d.type === 'ENERGY') d.volume /= 1000;
    expect(issuesOf(s.strict(s.session), session)).toEqual([]);
    const patch = load('session_patch_example_charging_period.json') as any;
    patch.charging_periods[0].dimensions[0].volume = 2.2;
    expect(issuesOf(s.strict(s.sessionPatch), patch)).toEqual([]);
  });
});
