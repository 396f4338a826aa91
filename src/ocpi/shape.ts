/**
 * Helpers that shape the objects the bridge emits. OCPI 2.1.1 `string` is printable ASCII only (2.1.1
 * types.md; 2.2.1 allows UTF-8): the 2.1.1 serializers transliterate every string they emit (é -> e,
 * ß -> ss, anything else -> '?'). Optional fields are left out, never sent as null.
 */
const SPECIAL: Record<string, string> = {
  ß: 'ss', Æ: 'AE', æ: 'ae', Ø: 'O', ø: 'o', Œ: 'OE', œ: 'oe', Ł: 'L', ł: 'l', Đ: 'D', đ: 'd', '€': 'EUR',
  // Typography in addresses and names ("Ladepark Süd – Straße"): their ASCII look-alikes, not '?'.
  '\u2010': '-', '\u2011': '-', '\u2012': '-', '\u2013': '-', '\u2014': '-', '\u2212': '-', '\u2018': "'", '\u2019': "'", '\u201a': "'",
  '\u201c': '"', '\u201d': '"', '\u201e': '"', '\u00ab': '"', '\u00bb': '"', '\u2026': '...', '\u2022': '*', '\u00b7': '.', '\u00d7': 'x',
};

export function toAscii(text: string): string {
  if (/^[\x20-\x7e]*$/.test(text)) return text;
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]/g, (ch) => SPECIAL[ch] ?? '?');
}

/** Every string in a JSON value, transliterated. */
export function deepAscii<T>(value: T): T {
  if (typeof value === 'string') return toAscii(value) as T;
  if (Array.isArray(value)) return value.map(deepAscii) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, deepAscii(v)])) as T;
  }
  return value;
}

/** Drops keys whose value is undefined (optional OCPI fields are left out, never sent as null). */
export function compact<T extends Record<string, unknown>>(o: T): T {
  const out: Record<string, unknown> = {};
  for (const key in o) if (o[key] !== undefined) out[key] = o[key];
  return out as T;
}
