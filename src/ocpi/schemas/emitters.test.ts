/**
 * Emitted shapes the end-to-end test cannot reach cheaply, checked with the strict schemas at the mapper:
 * a credit CDR (mod_cdrs §Credit CDRs) built from a valid CDR, and the 2.1.1 form of a stored Tariff.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { creditCdr221 } from '../sessions/map.js';
import { tariffObject211 } from '../tariffs/map.js';
import * as s from './index.js';

const DIR = new URL('../../../test/fixtures/ocpi-examples/', import.meta.url);
const example = (file: string): any => JSON.parse(readFileSync(new URL(file, DIR), 'utf8'));
const issues = (schema: Parameters<typeof s.strict>[0], value: unknown) =>
  (s.strict(schema).safeParse(value).error?.issues ?? []).map((i) => `${i.path.join('.')}: ${i.message}`);

describe('mappers emit valid objects', () => {
  it('a credit CDR: new id (<= 39), credit + credit_reference_id, every total negated, still a valid CDR', () => {
    const original = { ...example('cdr_example.json'), id: 'a'.repeat(36), total_fixed_cost: { excl_vat: 1, incl_vat: 1.1 } };
    const credit = creditCdr221(original, `${original.id}-C`, Date.parse('2026-11-24T10:00:00Z'));
    expect(issues(s.cdr, credit)).toEqual([]);
    expect(credit).toMatchObject({ id: `${'a'.repeat(36)}-C`, credit: true, credit_reference_id: original.id, total_cost: { excl_vat: -4, incl_vat: -4.4 }, total_fixed_cost: { excl_vat: -1, incl_vat: -1.1 }, last_updated: '2026-11-24T10:00:00Z' });
  });

  it.each(['tariff_4_complex.json', 'tariff_15_reservation_5_euro_per_hour.json', 'tariff_3_alt_url.json', 'tariffrestriction_example_max_power.json'])(
    'the 2.1.1 form of %s is a valid 2.1.1 Tariff (no vat, no reservation elements)', (file) => {
      const t211 = tariffObject211(example(file));
      expect(issues(s.tariff211, t211)).toEqual([]);
      expect(JSON.stringify(t211)).not.toMatch(/"vat"|"reservation"|"min_current"|"max_current"|"country_code"/);
    });
});
