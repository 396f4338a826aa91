/**
 * Encryption at rest for the few secrets the bridge must send in clear (the OCPI tokens it uses to call
 * eMSPs): AES-256-GCM with a key kept in a file beside the database (`<db>.key`, mode 0600, created on first
 * use). A copy of the database alone (a backup, a support dump) does not reveal the tokens. Losing the key
 * file means re-registering the eMSPs (the bridge logs which). An in-memory database gets a random key.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';

export interface SecretBox {
  seal(plain: string): string;
  /** Undefined when the value cannot be opened (other key, damaged). */
  open(sealed: string): string | undefined;
}

const PREFIX = 'v1:';

export function openSecretBox(dbPath: string): SecretBox {
  const key = dbPath === ':memory:' ? randomBytes(32) : loadOrCreateKey(`${dbPath}.key`);
  return {
    seal(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return `${PREFIX}${iv.toString('base64')}:${cipher.getAuthTag().toString('base64')}:${body.toString('base64')}`;
    },
    open(sealed) {
      if (!sealed.startsWith(PREFIX)) return undefined;
      const [iv, tag, body] = sealed.slice(PREFIX.length).split(':');
      if (!iv || !tag || body === undefined) return undefined;
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
        decipher.setAuthTag(Buffer.from(tag, 'base64'));
        return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
      } catch {
        return undefined;
      }
    },
  };
}

function loadOrCreateKey(path: string): Buffer {
  if (existsSync(path)) {
    const key = Buffer.from(readFileSync(path, 'utf8').trim(), 'base64');
    if (key.length === 32) return key;
    throw new Error(`the key file ${path} is damaged (expected 32 bytes in Base64)`);
  }
  const key = randomBytes(32);
  try {
    // 'wx': never overwrite a key another process (the bridge or the CLI) created a moment ago.
    writeFileSync(path, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    chmodSync(path, 0o600);
    return key;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return loadOrCreateKey(path);
    throw err;
  }
}
