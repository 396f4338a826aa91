import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parsePublicKey, publicKeyBase64, publicKeyHex } from './public-key.js';
import { generated, real } from './test-helpers/samples.js';

const hex = generated.file('test-key.public.spki.hex').trim();
const b64 = generated.file('test-key.public.spki.b64').trim();
const rawXY = hex.slice(-128);

describe('parsePublicKey', () => {
  it.each([
    ['hex SPKI', hex, 'hex', 'spki'],
    ['lower-case hex with a leading space', ` ${hex.toLowerCase()}`, 'hex', 'spki'],
    ['spaced hex', hex.replace(/(.{4})/g, '$1 '), 'hex', 'spki'],
    ['colon hex', hex.replace(/(.{2})(?!$)/g, '$1:'), 'hex', 'spki'],
    ['base64 SPKI', b64, 'base64', 'spki'],
    ['PEM', generated.file('test-key.public.pem'), 'pem', 'spki'],
  ])('%s', (_name, text, encoding, structure) => {
    const r = parsePublicKey(text);
    expect(r).toMatchObject({ ok: true, key: { curve: 'secp256r1', encoding, structure } });
    if (r.ok) {
      expect(publicKeyHex(r.key)).toBe(hex);
      expect(publicKeyBase64(r.key)).toBe(b64);
    }
  });

  it('wraps a raw X||Y point once the curve is known from SA', () => {
    expect(parsePublicKey(rawXY)).toMatchObject({ ok: false, reason: 'needs-curve' });
    const r = parsePublicKey(rawXY, 'secp256r1');
    expect(r).toMatchObject({ ok: true, key: { curve: 'secp256r1', structure: 'raw-point' } });
    if (r.ok) expect(publicKeyHex(r.key)).toBe(hex);
    expect(parsePublicKey(`04${rawXY}`, 'secp256r1')).toMatchObject({ ok: true });
  });

  it('reads every real key text', () => {
    for (const e of real.entries) expect(parsePublicKey(real.key(e), 'secp256r1').ok, e.id).toBe(true);
  });

  it.each([
    ['empty', '', 'empty'],
    ['not a string', 12, 'empty'],
    ['not an encoding', 'this is no key', 'bad-encoding'],
    ['broken DER', '3059301306', 'bad-der'],
    ['RSA key', crypto.generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'der', type: 'spki' }).toString('hex'), 'bad-der'],
    ['P-521 (not an OCMF curve)', crypto.generateKeyPairSync('ec', { namedCurve: 'secp521r1' }).publicKey.export({ format: 'der', type: 'spki' }).toString('base64'), 'unsupported-curve'],
    ['point off the curve', hex.slice(0, -2) + (hex.endsWith('75') ? '76' : '75'), 'bad-point'],
    ['wrong point length', `04${rawXY}00`, 'needs-curve'],
  ])('%s -> %s', (_name, text, reason) => {
    expect(parsePublicKey(text)).toMatchObject({ ok: false, reason });
  });

  it('imports a key once (cached KeyObject)', () => {
    const a = parsePublicKey(hex);
    const b = parsePublicKey(hex);
    expect(a.ok && b.ok && a.key.keyObject === b.key.keyObject && a.key.keyObject !== undefined).toBe(true);
  });
});
