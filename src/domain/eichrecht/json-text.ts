/**
 * A strict JSON reader (RFC 8259) for OCMF sections that keeps what JSON.parse loses: the written form of
 * numbers ("RV":1234.560 must stay 1234.560, reference §1.1 and §5.1) and the key order. Duplicate keys
 * are refused (two values for one key would let a verifier and a viewer disagree). Never throws.
 */
import { JsonNumber, type JsonObject, type JsonValue } from './types.js';

export type JsonReadResult = { ok: true; value: JsonValue } | { ok: false; truncated: boolean; message: string };

const MAX_DEPTH = 32;
// eslint-disable-next-line no-control-regex
const SPECIAL = /[\\\u0000-\u001f]/;
const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
const [QUOTE, BACKSLASH, COMMA, COLON, OPEN_ARRAY, CLOSE_ARRAY, OPEN_OBJECT, CLOSE_OBJECT] = [34, 92, 44, 58, 91, 93, 123, 125];

const TWO_LETTER_KEYS: (string | undefined)[] = new Array(26 * 26).fill(undefined);

class Stop {
  constructor(readonly truncated: boolean, readonly message: string) {}
}

/** Position-holding reader: methods on one object keep V8's property access fast (2x a closure version). */
class Reader {
  i = 0;
  constructor(readonly t: string) {}

  fail(message: string): never {
    const end = this.i >= this.t.length;
    throw new Stop(end, end ? 'unexpected end of JSON' : `${message} at ${this.i}`);
  }

  ws(): void {
    const t = this.t;
    let i = this.i;
    for (let c = t.charCodeAt(i); c === 32 || c === 9 || c === 10 || c === 13; c = t.charCodeAt(++i));
    this.i = i;
  }

  str(): string {
    const t = this.t;
    const first = this.i + 1;
    let i = first;
    // The usual case: no escape, no control character. Short strings (keys, most values) are scanned by char
    // code; a long one (the hex signature) is found with indexOf and checked with one regex test.
    for (let c = t.charCodeAt(i), end = first + 16; c >= 32 && c !== BACKSLASH; c = t.charCodeAt(++i)) {
      if (c === QUOTE) {
        this.i = i + 1;
        return t.slice(first, i);
      }
      if (i === end) {
        const q = t.indexOf('"', i);
        if (q < 0) break;
        const plain = t.slice(first, q);
        if (SPECIAL.test(plain)) break;
        this.i = q + 1;
        return plain;
      }
    }
    i = first;
    let out = '';
    let start = i;
    for (;;) {
      this.i = i;
      if (i >= t.length) this.fail('unterminated string');
      const c = t.charCodeAt(i);
      if (c === QUOTE) break;
      if (c !== BACKSLASH) {
        if (c < 32) this.fail('control character in string');
        i++;
        continue;
      }
      out += t.slice(start, i);
      const e = t[i + 1];
      if (e === 'u') {
        const hex = t.slice(i + 2, i + 6);
        this.i = Math.min(i + 2 + hex.length, t.length);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('bad \\u escape');
        out += String.fromCharCode(parseInt(hex, 16));
        i += 6;
      } else {
        this.i = i + 1;
        const r = e === undefined ? undefined : ESCAPES[e];
        if (r === undefined) this.fail('bad escape');
        out += r;
        i += 2;
      }
      start = i;
    }
    this.i = i + 1;
    return out + t.slice(start, i);
  }

  value(depth: number): JsonValue {
    if (depth > MAX_DEPTH) this.fail('nesting too deep');
    this.ws();
    const t = this.t;
    const c = t.charCodeAt(this.i);
    if (c === QUOTE) return this.str();
    if (c === OPEN_OBJECT) return this.object(depth);
    if (c === OPEN_ARRAY) {
      this.i++;
      const arr: JsonValue[] = [];
      this.ws();
      if (t.charCodeAt(this.i) === CLOSE_ARRAY) return this.i++, arr;
      for (;;) {
        arr.push(this.value(depth + 1));
        this.ws();
        const d = t.charCodeAt(this.i);
        if (d === COMMA) this.i++;
        else if (d === CLOSE_ARRAY) return this.i++, arr;
        else this.fail('expected "," or "]"');
      }
    }
    if (c === 116 || c === 102 || c === 110) {
      const [word, v] = c === 116 ? TRUE : c === 102 ? FALSE : NULL; // t, f, n
      if (t.startsWith(word, this.i)) return (this.i += word.length), v;
      if (t.length - this.i < word.length && word.startsWith(t.slice(this.i))) (this.i = t.length), this.fail('');
      this.fail('unexpected character');
    }
    return this.number();
  }

  /**
   * A key. OCMF keys are two capital letters ("RV", "TM"): those come from a table of one string each, so
   * they are neither allocated per record nor hashed again by Map.set (half of the reader's time otherwise).
   */
  key(): string {
    const t = this.t;
    const i = this.i;
    const a = t.charCodeAt(i + 1) - 65;
    const b = t.charCodeAt(i + 2) - 65;
    if (a >= 0 && a < 26 && b >= 0 && b < 26 && t.charCodeAt(i + 3) === QUOTE) {
      this.i = i + 4;
      return (TWO_LETTER_KEYS[a * 26 + b] ??= t.slice(i + 1, i + 3));
    }
    return this.str();
  }

  /** RFC 8259 §6 number, kept as its text: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
  number(): JsonNumber {
    const t = this.t;
    const start = this.i;
    let i = start;
    let c = t.charCodeAt(i);
    if (c === 45) c = t.charCodeAt(++i); // -
    if (c === 48) c = t.charCodeAt(++i); // a leading 0 stands alone
    else if (c >= 49 && c <= 57) while (c >= 48 && c <= 57) c = t.charCodeAt(++i);
    else (this.i = i), this.fail(i > start ? 'expected a digit' : 'unexpected character');
    if (c === 46) {
      // .
      const first = ++i;
      for (c = t.charCodeAt(i); c >= 48 && c <= 57; c = t.charCodeAt(++i));
      if (i === first) (this.i = i), this.fail('expected a digit after "."');
    }
    if (c === 101 || c === 69) {
      // e E
      c = t.charCodeAt(++i);
      if (c === 43 || c === 45) c = t.charCodeAt(++i);
      const first = i;
      for (; c >= 48 && c <= 57; c = t.charCodeAt(++i));
      if (i === first) (this.i = i), this.fail('expected a digit in the exponent');
    }
    this.i = i;
    return new JsonNumber(t.slice(start, i));
  }

  object(depth: number): JsonObject {
    const t = this.t;
    this.i++;
    const obj: JsonObject = new Map();
    this.ws();
    if (t.charCodeAt(this.i) === CLOSE_OBJECT) return this.i++, obj;
    for (;;) {
      this.ws();
      if (t.charCodeAt(this.i) !== QUOTE) this.fail('expected a key');
      const at = this.i;
      const key = this.key();
      this.ws();
      if (t.charCodeAt(this.i) !== COLON) this.fail('expected ":"');
      this.i++;
      const size = obj.size;
      obj.set(key, this.value(depth + 1));
      if (obj.size === size) (this.i = at), this.fail(`duplicate key "${key}"`);
      this.ws();
      const d = t.charCodeAt(this.i);
      if (d === COMMA) this.i++;
      else if (d === CLOSE_OBJECT) return this.i++, obj;
      else this.fail('expected "," or "}"');
    }
  }
}
const TRUE = ['true', true] as const;
const FALSE = ['false', false] as const;
const NULL = ['null', null] as const;

export function readJson(text: string): JsonReadResult {
  const r = new Reader(text);
  try {
    const value = r.value(0);
    r.ws();
    if (r.i < text.length) return { ok: false, truncated: false, message: `unexpected text after JSON at ${r.i}` };
    return { ok: true, value };
  } catch (e) {
    if (e instanceof Stop) return { ok: false, truncated: e.truncated, message: e.message };
    return { ok: false, truncated: false, message: String(e) };
  }
}
