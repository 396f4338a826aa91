/**
 * OCPI 2.2.1 `CDR.signed_data` from the stored signed values (OCPI mod_cdrs §SignedData, §SignedValue;
 * reference §3, §5.10, §6.9) and the signed energy for billing (reference §3 last paragraph, §6.7).
 *
 * One SignedValue per OCMF record, built from the stored raw value with only the transport encoding undone:
 * `signed_data` = base64 of the exact OCMF bytes (string(5000); never truncated: a value that does not fit
 * fails the build), `plain_data` = the same OCMF text (string(512) in 2.2.1-d2, 5000 in the errata branch;
 * with 512, the payload section is sent when the whole text does not fit, else "" with a warning).
 * `encoding_method_version` is omitted (OCMF's "1.0" is not an int). `public_key` = base64 DER SPKI.
 * A single record holding both B and E readings (MR style) is sent once as End (OCMF issue #8) by default.
 */
import { decodeSignedValue } from './decode-signed-value.js';
import { formatDecimal } from './decimal.js';
import { parseOcmf, splitOcmf } from './parse-ocmf.js';
import { parsePublicKeyFor, publicKeyBase64, type MeterPublicKey } from './public-key.js';
import { TX_END } from './register-checks.js';
import { collectRegisters, primaryEnergyRegister, signedEnergyOf } from './registers.js';
import type { Failure, OcmfContext, ParsedOcmf } from './types.js';

export interface OcpiSignedValue {
  nature: 'Start' | 'End' | 'Intermediate';
  plain_data: string;
  signed_data: string;
}
export interface OcpiSignedData {
  encoding_method: 'OCMF';
  encoding_method_version?: number;
  public_key?: string;
  signed_values: OcpiSignedValue[];
  url?: string;
}
export interface BuildSignedDataOptions {
  publicKey?: string | MeterPublicKey;
  /** OCPI `url` (string(512)): where the driver can check the data, e.g. https://transparenz.software/. */
  url?: string;
  /** `plain_data` length limit agreed with the eMSP: 5000 (errata, default) or 512 (2.2.1-d2). */
  plainDataLimit?: 512 | 5000;
  /** Nature(s) of a single record carrying both the begin and the end reading. Default 'End'. */
  singleRecord?: 'End' | 'StartAndEnd';
}
export type SignedDataFailureReason = 'no-values' | 'undecodable' | 'signed-data-too-long';
export type BuildSignedDataResult = { ok: true; signedData: OcpiSignedData; warnings: string[] } | (Failure<SignedDataFailureReason> & { index?: number });

export const SIGNED_DATA_MAX = 5000;
const SHORT_MAX = 512;
const NATURE: Record<OcmfContext, OcpiSignedValue['nature']> = { begin: 'Start', intermediate: 'Intermediate', end: 'End' };

export function buildOcpiSignedData(values: Array<{ raw: string; context: OcmfContext }>, opts: BuildSignedDataOptions = {}): BuildSignedDataResult {
  const warnings: string[] = [];
  const limit = opts.plainDataLimit ?? 5000;
  const out: OcpiSignedValue[] = [];
  let firstText = '';
  for (const [index, v] of values.entries()) {
    const d = decodeSignedValue(v.raw);
    const split = d.ok ? splitOcmf(d.ocmf) : undefined;
    if (!d.ok || !split || 'ok' in split) {
      const message = d.ok ? 'not OCMF|payload|signature' : `${d.reason}: ${d.message}`;
      if (v.context === 'intermediate') {
        warnings.push(`intermediate value ${index} left out: ${message}`);
        continue;
      }
      return { ok: false, reason: 'undecodable', message: `${v.context} value ${index}: ${message}`, index };
    }
    firstText ||= d.ocmf;
    const signed = Buffer.from(d.ocmf, 'utf8').toString('base64');
    if (signed.length > SIGNED_DATA_MAX) {
      return { ok: false, reason: 'signed-data-too-long', message: `${v.context} value ${index}: ${signed.length} base64 characters, more than ${SIGNED_DATA_MAX}`, index };
    }
    let plain = d.ocmf;
    if (plain.length > limit) {
      plain = split.payloadText.length <= limit ? split.payloadText : '';
      warnings.push(`value ${index}: OCMF text of ${d.ocmf.length} characters exceeds plain_data(${limit}); ${plain ? 'payload section sent' : 'plain_data left empty'}`);
    }
    out.push({ nature: NATURE[v.context], plain_data: plain, signed_data: signed });
  }
  if (out.length === 0) return { ok: false, reason: 'no-values', message: 'no signed value to send' };
  if (out.length === 1 && isBeginAndEnd(firstText)) {
    out[0].nature = 'End';
    if (opts.singleRecord === 'StartAndEnd') out.unshift({ ...out[0], nature: 'Start' });
  }

  let publicKey: string | undefined;
  if (opts.publicKey !== undefined) {
    const key = typeof opts.publicKey === 'string' ? parsePublicKeyFor(opts.publicKey, firstText) : { ok: true as const, key: opts.publicKey };
    const b64 = key.ok ? publicKeyBase64(key.key) : undefined;
    if (b64 && b64.length <= SHORT_MAX) publicKey = b64;
    else warnings.push(`public_key left out: ${key.ok ? `more than ${SHORT_MAX} characters` : key.message}`);
  }
  if (opts.url !== undefined && opts.url.length > SHORT_MAX) warnings.push(`url left out: more than ${SHORT_MAX} characters`);
  const url = opts.url !== undefined && opts.url.length <= SHORT_MAX ? opts.url : undefined;
  // Key order of the OCPI class table: encoding_method, public_key, signed_values, url.
  const signedData: OcpiSignedData = {
    encoding_method: 'OCMF',
    ...(publicKey !== undefined ? { public_key: publicKey } : {}),
    signed_values: out,
    ...(url !== undefined ? { url } : {}),
  };
  return { ok: true, signedData, warnings };
}

/** An MR-style record: begin and end readings in one record (reference §1.4). */
function isBeginAndEnd(ocmf: string): boolean {
  const p = parseOcmf(ocmf);
  if (!p.ok) return false;
  const txs = p.payload.readings.map((r) => r.TX ?? '');
  return txs.includes('B') && txs.some((t) => TX_END.has(t));
}

export type SignedEnergyResult =
  | { ok: true; energyWh: string; startWh: string; endWh: string; register: string }
  | Failure<'no-records' | 'unreadable' | 'no-energy-register' | 'unusable-values'>;

/** Signed energy for billing: last minus first value of the first energy register, in Wh, as exact decimal text. */
export function signedEnergyWh(raws: string[]): SignedEnergyResult {
  if (raws.length === 0) return { ok: false, reason: 'no-records', message: 'no signed values' };
  const records: Array<{ index: number; parsed: ParsedOcmf }> = [];
  for (const [index, raw] of raws.entries()) {
    const d = decodeSignedValue(raw);
    const p = d.ok ? parseOcmf(d.ocmf) : d;
    if (!p.ok) return { ok: false, reason: 'unreadable', message: `value ${index}: ${p.reason}: ${p.message}` };
    records.push({ index, parsed: p });
  }
  const primary = primaryEnergyRegister(collectRegisters(records));
  if (!primary) return { ok: false, reason: 'no-energy-register', message: 'no reading in Wh or kWh' };
  const e = signedEnergyOf(primary);
  if (!e) return { ok: false, reason: 'unusable-values', message: `register ${primary.register}: first or last value unreadable` };
  return { ok: true, energyWh: formatDecimal(e.energyWh), startWh: formatDecimal(e.startWh), endWh: formatDecimal(e.endWh), register: e.register };
}
