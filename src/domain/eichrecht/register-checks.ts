/**
 * Transaction checks on the readings, per register (reference §1.4 and §4 checks 4-7; OCMF spec Table 7
 * TX/ST/EF/TM codes): TX begins with B and ends with E/L/R/A/P, no X; ST = G and EF empty everywhere;
 * values rise; energy = end - start matches the bridge's count within the meter's resolution; TM readable,
 * increasing, inside the OCPP transaction window (with clock skew) and not after the value was received.
 */
import { abs, compare, decimalFromNumber, formatDecimal, subtract } from './decimal.js';
import { primaryEnergyRegister, signedEnergyOf, type RegisterSeries } from './registers.js';
import type { FindingCode, TransactionFacts, TransactionFinding } from './types.js';

export const TX_CODES = new Set(['B', 'C', 'X', 'E', 'L', 'R', 'A', 'P', 'S', 'T']);
export const TX_END = new Set(['E', 'L', 'R', 'A', 'P']);

export interface RegisterCheckContext {
  facts: TransactionFacts;
  clockSkewMs: number;
  energyToleranceWh: number;
  receivedAt(record: number): Date | undefined;
  add(code: FindingCode, severity: TransactionFinding['severity'], message: string, readingIndex?: number): void;
}

function checkSeries(s: RegisterSeries, isPrimary: boolean, ctx: RegisterCheckContext): void {
  const { add, facts, clockSkewMs: skew } = ctx;
  const name = s.register || '(no RI)';
  const first = s.points[0];
  const last = s.points[s.points.length - 1];
  if (isPrimary && first.reading.TX !== 'B') add('missing-begin', 'error', `first reading of ${name} has TX=${first.reading.TX ?? '(none)'}, expected B`, first.record);
  if (isPrimary && !TX_END.has(last.reading.TX ?? '')) add('missing-end', 'error', `last reading of ${name} has TX=${last.reading.TX ?? '(none)'}, expected E/L/R/A/P`, last.record);
  let seenOther = false;
  let ended = false;
  let prevTime: Date | undefined;
  s.points.forEach((p, i) => {
    const r = p.reading;
    const tx = r.TX;
    if (tx === undefined) add('tx-missing', 'error', `reading of ${name} without TX: not a transaction reading`, p.record);
    else if (!TX_CODES.has(tx)) add('tx-unknown', 'error', `unknown TX code "${tx}"`, p.record);
    else {
      if (tx === 'X') add('tx-exception', 'error', `TX=X (exception) on ${name}: time and energy no longer usable`, p.record);
      if (tx === 'B' && seenOther) add('tx-order', 'error', `TX=B after other readings of ${name}`, p.record);
      if (ended && !TX_END.has(tx)) add('tx-order', 'error', `TX=${tx} after the end of ${name}`, p.record);
      if (tx !== 'B') seenOther = true;
      if (TX_END.has(tx)) ended = true;
    }
    if (r.ST !== 'G') add('meter-status', 'error', `meter state ST=${r.ST ?? '(none)'} on ${name}, expected G`, p.record);
    if (r.EF) add('error-flags', 'error', `error flags EF="${r.EF}" on ${name}`, p.record);
    if (s.energy && !p.wh) add(r.RV?.decimal ? 'unit-mismatch' : 'value-unparseable', 'error', `reading of ${name}: "${r.RV?.text ?? ''}" ${r.RU ?? ''} is not an energy value`, p.record);
    if (!s.energy && r.RU !== first.reading.RU) add('unit-mismatch', 'error', `${name} changes unit ${first.reading.RU} -> ${r.RU}`, p.record);
    if (i > 0) {
      const prev = s.points[i - 1];
      const a = s.energy ? prev.wh : prev.reading.RV?.decimal;
      const b = s.energy ? p.wh : r.RV?.decimal;
      if (a && b && compare(b, a) < 0) add('reading-decreases', 'error', `${name} decreases ${prev.reading.RV?.text.trim()} -> ${r.RV?.text.trim()}`, p.record);
    }
    if (!r.time) {
      add('time-unparseable', 'error', `reading time TM "${r.TM ?? ''}" unreadable`, p.record);
      return;
    }
    const status = r.timeStatus;
    if (status !== 'S' && status !== 'R') add('time-unsynchronized', 'warning', `time status ${status ?? '(none)'} (not synchronized): not usable for time-based billing`, p.record);
    if (prevTime && r.time < prevTime) add('time-backwards', 'error', `time goes backwards on ${name}: ${r.TM}`, p.record);
    prevTime = r.time;
    if (status === 'U') return; // an unsynchronized clock's time says nothing about the window
    const severity = status === 'S' ? 'error' : 'warning';
    const t = r.time.getTime();
    const end = facts.endedAt?.getTime();
    if (t < facts.startedAt.getTime() - skew || (end !== undefined && t > end + skew)) {
      add('time-outside-window', severity, `reading time ${r.TM} outside the transaction ${facts.startedAt.toISOString()} - ${facts.endedAt?.toISOString() ?? 'open'}`, p.record);
    }
    const received = ctx.receivedAt(p.record);
    if (received && t > received.getTime() + skew) add('time-after-receipt', severity, `reading time ${r.TM} is after the value was received (${received.toISOString()})`, p.record);
  });
}

export function checkRegisters(series: RegisterSeries[], ctx: RegisterCheckContext): void {
  const primary = primaryEnergyRegister(series);
  for (const s of series) checkSeries(s, s === primary, ctx);
  if (!primary) {
    ctx.add('no-energy-register', 'error', 'no reading in Wh or kWh: no signed energy');
    return;
  }
  const energy = signedEnergyOf(primary);
  if (!energy || ctx.facts.energyWh === undefined) return;
  const bridge = decimalFromNumber(ctx.facts.energyWh);
  if (!bridge) return;
  const diff = abs(subtract(energy.energyWh, bridge));
  const extra = decimalFromNumber(ctx.energyToleranceWh);
  const tolerance = extra && compare(extra, energy.resolutionWh) > 0 ? extra : energy.resolutionWh;
  if (compare(diff, tolerance) > 0) {
    const last = primary.points[primary.points.length - 1];
    ctx.add(
      'energy-mismatch',
      'error',
      `signed energy ${formatDecimal(energy.energyWh)} Wh (${primary.register || 'no RI'}) differs from the transaction's ${ctx.facts.energyWh} Wh by ${formatDecimal(diff)} Wh (allowed ${formatDecimal(tolerance)} Wh)`,
      last.record,
    );
  }
}
