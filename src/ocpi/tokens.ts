/**
 * OCPI credentials tokens: generation, the SHA-256 hash the store keeps of tokens we only compare, and the
 * Authorization header forms (OCPI 2.2.1 transport_and_format §Authorization header; reference §1.3):
 * 2.2.1 sends `Token <Base64(token)>`, 2.1.1 `Token <token>`; inbound we accept both.
 */
import { createHash, randomBytes } from 'node:crypto';

/** 32 random bytes, Base64url: 43 printable, non-whitespace ASCII characters (credentials token: string(64)). */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** The Authorization header value we send. */
export function authorizationHeader(token: string, encoding: 'base64' | 'plain'): string {
  return `Token ${encoding === 'base64' ? Buffer.from(token, 'utf8').toString('base64') : token}`;
}

const STRICT_BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** RFC 4648 §4 Base64 decoded strictly (Node's decoder skips junk); undefined when not canonical Base64. */
export function strictBase64Decode(text: string): string | undefined {
  if (text.length % 4 !== 0 || !STRICT_BASE64.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  if (bytes.toString('base64') !== text) return undefined;
  const decoded = bytes.toString('utf8');
  // A credentials token is printable ASCII (U+0021..U+007E); anything else was not a Base64-encoded token.
  return /^[\x21-\x7e]+$/.test(decoded) ? decoded : undefined;
}

/**
 * The tokens an inbound `Authorization` header may carry, most likely first: the raw value (2.1.1 and many
 * 2.2 peers), then its strict Base64 decoding (2.2.1). Undefined when the header is missing or not `Token x`.
 */
export function tokenCandidates(header: string | undefined): string[] | undefined {
  const m = header?.match(/^Token\s+(\S+)\s*$/i);
  if (!m) return undefined;
  const raw = m[1]!;
  const decoded = strictBase64Decode(raw);
  return decoded !== undefined && decoded !== raw ? [raw, decoded] : [raw];
}
