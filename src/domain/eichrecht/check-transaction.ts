/**
 * Checks across the signed values of one transaction (reference §1.4 "Pagination and transactions", §4
 * "Checks to run on arrival", §6.6-6.8; OCMF spec §"Relation of Serial Numbers", PG and identification
 * fields of Tables 1-6). Every finding is for the operator: the data is flagged, never "fixed".
 *
 * Record level here: parseable, same meter (MS) and gateway (GS) throughout and equal to the registered one,
 * PG same context letter and consecutive, OCPP context agrees with TX, identification consistent with the
 * idTag, optional signature check. Reading level (TX order, ST/EF, monotony, energy, time): register-checks.ts.
 */
import { decodeSignedValue } from './decode-signed-value.js';
import { parseOcmf } from './parse-ocmf.js';
import type { MeterPublicKey } from './public-key.js';
import { checkRegisters, TX_END } from './register-checks.js';
import { collectRegisters } from './registers.js';
import type { FindingCode, ParsedOcmf, TransactionFacts, TransactionFinding, TransactionReadingInput } from './types.js';
import { verifyOcmf } from './verify-ocmf.js';

export interface CheckTransactionOptions {
  /** The meter's key from a trusted source; when given, every record's signature is checked too. */
  publicKey?: string | MeterPublicKey;
  /** Allowed difference between meter clock and bridge clock. Default 5 minutes. */
  clockSkewMs?: number;
  /** Extra allowed energy difference beyond the meter's resolution, in Wh. Default 0. */
  energyToleranceWh?: number;
}

const BAD_IL = new Set(['MISMATCH', 'INVALID', 'OUTDATED', 'UNKNOWN']);
const NO_ID_TYPES = new Set(['NONE', 'DENIED', 'UNDEFINED']);

export function checkTransaction(readings: TransactionReadingInput[], facts: TransactionFacts, opts: CheckTransactionOptions = {}): TransactionFinding[] {
  const findings: TransactionFinding[] = [];
  const seen = new Set<string>();
  const add = (code: FindingCode, severity: TransactionFinding['severity'], message: string, readingIndex?: number) => {
    const id = `${code}|${readingIndex}|${message}`;
    if (seen.has(id)) return;
    seen.add(id);
    findings.push(readingIndex === undefined ? { code, severity, message } : { code, severity, message, readingIndex });
  };
  if (readings.length === 0) {
    add('no-records', 'error', 'no signed meter values for this transaction');
    return findings;
  }

  const records: Array<{ index: number; parsed: ParsedOcmf }> = [];
  const texts = new Set<string>();
  readings.forEach((input, index) => {
    const decoded = decodeSignedValue(input.raw);
    const parsed = decoded.ok ? parseOcmf(decoded.ocmf) : decoded;
    if (!parsed.ok) return add('unparseable', 'error', `signed value not readable (${parsed.reason}): ${parsed.message}`, index);
    if (texts.has(parsed.text)) return add('duplicate-record', 'warning', 'same OCMF record received twice; the copy is ignored', index);
    texts.add(parsed.text);
    records.push({ index, parsed });
    if (opts.publicKey !== undefined) {
      const v = verifyOcmf(parsed, opts.publicKey);
      if (v.status === 'invalid-signature' || v.status === 'malformed') add('signature-invalid', 'error', `signature: ${v.reason}`, index);
      else if (v.status !== 'verified') add('signature-unverified', 'warning', `signature not checked: ${v.reason}`, index);
    }
    const txs = parsed.payload.readings.map((r) => r.TX ?? '');
    const fits =
      input.context === 'begin' ? txs.includes('B') : input.context === 'end' ? txs.some((t) => TX_END.has(t)) : !txs.some((t) => t === 'B' || TX_END.has(t));
    if (!fits) add('context-mismatch', 'warning', `OCPP context ${input.context} but TX ${txs.join(',') || '(none)'}`, index);
  });
  if (records.length === 0) return findings;

  const first = records[0].parsed.payload;
  let prevPg: { letter: string; n: number; text: string } | undefined;
  const ids = new Map<string, number>();
  for (const { index, parsed } of records) {
    const p = parsed.payload;
    if (p.MS === undefined) add('meter-serial-missing', 'warning', 'record without meter serial MS', index);
    else if (facts.meterSerial !== undefined && p.MS !== facts.meterSerial) add('meter-serial-unexpected', 'error', `meter serial ${p.MS}, registered for this EVSE: ${facts.meterSerial}`, index);
    if (p.MS !== first.MS) add('meter-serial-mismatch', 'error', `meter serial ${p.MS ?? '(none)'} differs from ${first.MS ?? '(none)'} of the first record`, index);
    if (p.GS !== first.GS) add('gateway-serial-mismatch', 'error', `gateway serial ${p.GS ?? '(none)'} differs from ${first.GS ?? '(none)'} of the first record`, index);

    const pg = /^([A-Z])(\d{1,15})$/.exec(p.PG ?? '');
    if (!pg) add('pagination-malformed', 'error', `pagination PG "${p.PG ?? ''}" is not <letter><number>`, index);
    else {
      const cur = { letter: pg[1], n: Number(pg[2]), text: p.PG! };
      if (cur.letter !== 'T') add('pagination-context', 'warning', `pagination ${cur.text} is not in the transaction context T`, index);
      if (prevPg && (cur.letter !== prevPg.letter || cur.n !== prevPg.n + 1)) add('pagination-gap', 'error', `pagination not consecutive: ${prevPg.text} -> ${cur.text}`, index);
      prevPg = cur;
    }

    if (p.ID) ids.set(p.ID, ids.get(p.ID) ?? index);
    if (p.IL && BAD_IL.has(p.IL)) add('identification-level', 'warning', `identification level ${p.IL}`, index);
    if (facts.idTag && p.ID && !NO_ID_TYPES.has(p.IT ?? '') && p.ID.toLowerCase() !== facts.idTag.toLowerCase()) {
      add('identification-mismatch', 'warning', `record identifies ${p.IT ?? ''} ${p.ID}, the transaction was authorised with ${facts.idTag}`, index);
    }
  }
  if (ids.size > 1) add('identification-inconsistent', 'warning', `identification differs between records: ${[...ids.keys()].join(', ')}`, [...ids.values()][1]);

  const byIndex = new Map(readings.map((r, i) => [i, r.receivedAt]));
  checkRegisters(collectRegisters(records), {
    facts,
    clockSkewMs: opts.clockSkewMs ?? 5 * 60_000,
    energyToleranceWh: opts.energyToleranceWh ?? 0,
    receivedAt: (i) => byIndex.get(i),
    add,
  });
  return findings;
}
