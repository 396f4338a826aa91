/**
 * Status page passwords: scrypt hashes in the config's format `scrypt:<salt base64>:<hash base64>` (N=16384, r=8,
 * p=1, the node defaults), and the users the page accepts — the configured ones, or one generated on first start
 * whose hash is kept in the Store settings and whose clear text is returned once (the caller prints it).
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import type { Clock, Store } from '../domain/ports.js';

export interface PageUser {
  name: string;
  passwordHash: string;
}

/** The user name of the generated account. */
export const GENERATED_USER = 'tech';
const GENERATED_SETTING = 'status_page.generated_password_hash';
const KEY_BYTES = 32;
const PARAMS = { N: 16384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

function derive(password: string, salt: Buffer, bytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => scrypt(password.normalize('NFC'), salt, bytes, PARAMS, (err, key) => (err ? reject(err) : resolve(key))));
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  return `scrypt:${salt.toString('base64')}:${(await derive(password, salt, KEY_BYTES)).toString('base64')}`;
}

/** True when `password` matches `encoded`; false for a wrong password or a malformed hash (never throws). */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const m = /^scrypt:([A-Za-z0-9+/]+={0,2}):([A-Za-z0-9+/]+={0,2})$/.exec(encoded);
  if (!m) return false;
  const salt = Buffer.from(m[1]!, 'base64');
  const expected = Buffer.from(m[2]!, 'base64');
  if (salt.length < 8 || expected.length < 16 || expected.length > 128) return false;
  return timingSafeEqual(await derive(password, salt, expected.length), expected);
}

/** 120 random bits, URL-safe, easy to type from a log line. */
export function generatePassword(): string {
  return randomBytes(15).toString('base64url');
}

/**
 * The accepted users. Without configured users: the generated account, created on first start (its hash stored
 * and committed before the clear text is returned, so a printed password always works).
 */
export async function resolveUsers(configured: Array<{ name: string; password_hash: string }> | undefined, store: Store, clock: Clock): Promise<{ users: PageUser[]; generatedPassword?: string }> {
  if (configured?.length) return { users: configured.map((u) => ({ name: u.name, passwordHash: u.password_hash })) };
  const stored = store.getSetting(GENERATED_SETTING);
  if (stored) return { users: [{ name: GENERATED_USER, passwordHash: stored }] };
  const password = generatePassword();
  const passwordHash = await hashPassword(password);
  store.transaction(() => store.setSetting(GENERATED_SETTING, passwordHash, clock.now().getTime()));
  await store.durable();
  return { users: [{ name: GENERATED_USER, passwordHash }], generatedPassword: password };
}
