/**
 * Maps the JSON of the OCMF payload and signature sections onto typed fields (OCMF spec Tables 1-8, 24;
 * reference §1.1-1.2): readings inherit omitted fields from the previous reading, vendor keys are kept,
 * numbers sent where strings are specified ("FV": 1.0, "CT": 0) are kept as their source text and noted.
 */
import { parseDecimal } from './decimal.js';
import { parseTm } from './ocmf-time.js';
import { JsonNumber, type JsonObject, type JsonValue, type OcmfPayload, type OcmfReading, type OcmfSignature, type ReadingValue } from './types.js';

const PAYLOAD_STRINGS = ['FV', 'GI', 'GS', 'GV', 'PG', 'MV', 'MM', 'MS', 'MF', 'IL', 'IT', 'ID', 'TT', 'CF', 'CT', 'CI'] as const;
const READING_STRINGS = ['TM', 'TX', 'RI', 'RU', 'RT', 'EF', 'ST'] as const;
const READING_KEYS = new Set<string>([...READING_STRINGS, 'RV', 'CL']);
const PAYLOAD_KEYS = new Set<string>([...PAYLOAD_STRINGS, 'IS', 'IF', 'LC', 'RD']);
const INHERITED = ['TM', 'TX', 'RI', 'RU', 'RT', 'EF', 'ST', 'CL'] as const;

const scalar = (v: JsonValue | undefined): string | undefined =>
  typeof v === 'string' ? v : v instanceof JsonNumber ? v.text : undefined;

function readingValue(v: JsonValue | undefined): ReadingValue | undefined {
  if (v instanceof JsonNumber) return { text: v.text, fromString: false, decimal: parseDecimal(v.text) };
  if (typeof v === 'string') return { text: v, fromString: true, decimal: parseDecimal(v) };
  return undefined;
}

/** Reads one string field (numbers kept as their text, noted); undefined when absent or of another type. */
function field(o: JsonObject, k: string, where: string, issues: string[]): string | undefined {
  const v = o.get(k);
  if (v === undefined || typeof v === 'string') return v;
  const s = scalar(v);
  issues.push(s === undefined ? `${where}${k} is not a string` : `${where}${k} is a number (${s}), the spec says string`);
  return s;
}

function valueField(o: JsonObject, k: string, where: string, issues: string[]): ReadingValue | undefined {
  const v = o.get(k);
  if (v === undefined) return undefined;
  const rv = readingValue(v);
  if (!rv) issues.push(`${where}${k} is neither a number nor a string`);
  return rv;
}

/** Keys of `o` not in `known`, as read; only walks the object when it has more keys than were recognised. */
function extensions(o: JsonObject, known: ReadonlySet<string>, recognised: number): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  if (o.size > recognised) for (const [k, v] of o) if (!known.has(k)) out[k] = v;
  return out;
}

function reading(o: JsonObject, index: number, prev: OcmfReading | undefined, issues: string[]): OcmfReading {
  const w = `RD[${index}].`;
  // One fixed shape for every reading (absent fields are undefined): keeps property access monomorphic.
  const r: OcmfReading = {
    index,
    TM: field(o, 'TM', w, issues),
    time: undefined,
    timeStatus: undefined,
    TX: field(o, 'TX', w, issues),
    RV: valueField(o, 'RV', w, issues),
    RI: field(o, 'RI', w, issues),
    RU: field(o, 'RU', w, issues),
    RT: field(o, 'RT', w, issues),
    CL: valueField(o, 'CL', w, issues),
    EF: field(o, 'EF', w, issues),
    ST: field(o, 'ST', w, issues),
    inherited: [],
    extensions: {},
  };
  let recognised = 0;
  for (const k of READING_KEYS) if (o.has(k)) recognised++;
  r.extensions = extensions(o, READING_KEYS, recognised);
  if (prev) {
    for (const k of INHERITED) {
      if (prev[k] !== undefined && !o.has(k)) {
        (r as unknown as Record<string, unknown>)[k] = prev[k];
        r.inherited.push(k);
      }
    }
  }
  if (r.TM !== undefined) {
    const { time, status } = parseTm(r.TM);
    r.time = time;
    r.timeStatus = status;
    if (!time) issues.push(`${w}TM "${r.TM}" is not a valid OCMF time`);
  }
  return r;
}

export function toPayload(o: JsonObject, issues: string[]): OcmfPayload {
  const is = o.get('IS');
  if (is !== undefined && typeof is !== 'boolean') issues.push('IS is not a boolean');
  const iff = o.get('IF');
  if (iff !== undefined && !Array.isArray(iff)) issues.push('IF is not an array');
  const lc = o.get('LC');
  const p: OcmfPayload = {
    FV: field(o, 'FV', '', issues),
    GI: field(o, 'GI', '', issues),
    GS: field(o, 'GS', '', issues),
    GV: field(o, 'GV', '', issues),
    PG: field(o, 'PG', '', issues),
    MV: field(o, 'MV', '', issues),
    MM: field(o, 'MM', '', issues),
    MS: field(o, 'MS', '', issues),
    MF: field(o, 'MF', '', issues),
    IS: typeof is === 'boolean' ? is : undefined,
    IL: field(o, 'IL', '', issues),
    IF: Array.isArray(iff) ? iff.filter((x): x is string => typeof x === 'string') : undefined,
    IT: field(o, 'IT', '', issues),
    ID: field(o, 'ID', '', issues),
    TT: field(o, 'TT', '', issues),
    CF: field(o, 'CF', '', issues),
    LC: lc instanceof Map ? { LN: scalar(lc.get('LN')), LI: scalar(lc.get('LI')), LR: readingValue(lc.get('LR')), LU: scalar(lc.get('LU')) } : undefined,
    CT: field(o, 'CT', '', issues),
    CI: field(o, 'CI', '', issues),
    readings: [],
    extensions: {},
  };
  const rd = o.get('RD');
  if (Array.isArray(rd)) {
    let prev: OcmfReading | undefined;
    for (let i = 0; i < rd.length; i++) {
      const x = rd[i];
      if (x instanceof Map) p.readings.push((prev = reading(x, i, prev, issues)));
      else issues.push(`RD[${i}] is not an object`);
    }
    if (rd.length === 0) issues.push('RD is empty');
  } else issues.push('RD missing or not an array');
  if (p.PG === undefined) issues.push('PG missing');
  if (p.MS === undefined) issues.push('MS missing');
  let recognised = 0;
  for (const k of PAYLOAD_KEYS) if (o.has(k)) recognised++;
  p.extensions = extensions(o, PAYLOAD_KEYS, recognised);
  return p;
}

/** undefined when SD is missing or not a string (the one 1..1 field of the signature section). */
export function toSignature(o: JsonObject, issues: string[]): OcmfSignature | undefined {
  const sd = o.get('SD');
  if (typeof sd !== 'string') return undefined;
  const s: OcmfSignature = { SD: sd, extensions: {} };
  for (const [k, v] of o) {
    if (k === 'SA' || k === 'SE' || k === 'SM') {
      const t = scalar(v);
      if (t !== undefined) s[k] = t;
      else issues.push(`${k} is not a string`);
    } else if (k !== 'SD') s.extensions[k] = v;
  }
  return s;
}
