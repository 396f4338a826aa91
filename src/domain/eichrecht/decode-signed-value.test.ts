import { describe, expect, it } from 'vitest';
import { decodeSignedMeterValue, decodeSignedValue, MAX_RAW_LENGTH } from './decode-signed-value.js';
import { generated } from './test-helpers/samples.js';

const ocmf = generated.file('tx-1-begin.ocmf');
const b64 = Buffer.from(ocmf).toString('base64');
const keyB64 = generated.file('test-key.public.spki.b64').trim();

describe('decodeSignedValue: the three OCPP 1.6 styles and 2.0.1 base64', () => {
  it.each([
    ['OCMF text', ocmf, 'plain', false],
    ['OCMF text with a trailing newline', `${ocmf}\n`, 'plain', false],
    ['upper-case hex', Buffer.from(ocmf).toString('hex').toUpperCase(), 'hex', false],
    ['lower-case hex', Buffer.from(ocmf).toString('hex'), 'hex', false],
    ['base64 (2.0.1 signedMeterData)', b64, 'base64', false],
    ['base64url without padding', Buffer.from(ocmf).toString('base64url'), 'base64', false],
    ['OCA envelope', JSON.stringify({ signedMeterData: b64, signingMethod: 'ECDSA-secp256r1-SHA256', encodingMethod: 'OCMF', publicKey: keyB64 }), 'base64', true],
    ['be.ENERGISED envelope (signedMeterValue)', JSON.stringify({ signedMeterValue: b64, encodingMethod: 'OCMF' }), 'base64', true],
    ['envelope holding plain OCMF', JSON.stringify({ signedMeterData: ocmf, encodingMethod: 'ocmf' }), 'plain', true],
  ])('%s', (_name, raw, transport, envelope) => {
    const r = decodeSignedValue(raw);
    expect(r).toMatchObject({ ok: true, ocmf, transport, envelope });
  });

  it('returns the envelope key and method as sent', () => {
    const raw = JSON.stringify({ signedMeterData: b64, signingMethod: 'ECDSA-secp256r1-SHA256', encodingMethod: 'OCMF', publicKey: keyB64 });
    expect(decodeSignedValue(raw)).toMatchObject({ publicKey: keyB64, signingMethod: 'ECDSA-secp256r1-SHA256', encodingMethod: 'OCMF' });
  });

  it('keeps a payload with non-ASCII text byte for byte', () => {
    const text = 'OCMF|{"TT":"0,42 €/kWh"}|{"SD":"00"}';
    expect(decodeSignedValue(Buffer.from(text).toString('base64'))).toMatchObject({ ok: true, ocmf: text });
    expect(decodeSignedValue(Buffer.from(text).toString('hex'))).toMatchObject({ ok: true, ocmf: text });
  });

  it.each([
    ['garbage', generated.file('broken-garbage.ocmf'), 'unknown-encoding'],
    ['empty', '   ', 'empty'],
    ['null', null, 'not-string'],
    ['base64 of garbage', Buffer.from('hello world').toString('base64'), 'not-ocmf'],
    ['base64 with a character outside the alphabet', `${b64.slice(0, 8)}*${b64.slice(8)}`, 'unknown-encoding'],
    ['base64 with a non-ASCII character', `${b64.slice(0, 8)}é${b64.slice(8)}`, 'unknown-encoding'],
    ['base64 with an inner "="', `${b64.slice(0, 8)}=${b64.slice(8)}`, 'unknown-encoding'],
    ['base64 with three padding characters', `${b64.replace(/=+$/, '')}===`, 'unknown-encoding'],
    ['base64 of 4k + 1 characters (no whole byte in the last one)', b64.slice(0, 41), 'unknown-encoding'],
    ['hex of invalid UTF-8', Buffer.concat([Buffer.from('OCMF|{"A":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}|{"SD":"00"}')]).toString('hex'), 'bad-utf8'],
    ['broken envelope', '{"signedMeterData":', 'bad-envelope'],
    ['envelope without data', '{"publicKey":"abc"}', 'bad-envelope'],
    ['envelope array', '[1]', 'unknown-encoding'],
    ['other encoding method', JSON.stringify({ signedMeterData: b64, encodingMethod: 'EDL' }), 'unsupported-encoding-method'],
    ['100 KB blob', 'A'.repeat(100_000), 'too-large'],
  ])('%s -> %s', (_name, raw, reason) => {
    expect(decodeSignedValue(raw)).toMatchObject({ ok: false, reason });
  });

  it('refuses anything longer than MAX_RAW_LENGTH before looking at it', () => {
    expect(decodeSignedValue(`OCMF|${'x'.repeat(MAX_RAW_LENGTH)}`)).toMatchObject({ ok: false, reason: 'too-large' });
  });
});

describe('decodeSignedMeterValue (OCPP 2.0.1 SignedMeterValueType)', () => {
  it('decodes the base64 signedMeterData of a TransactionEvent', () => {
    const msg = generated.message('ocpp201', 'TransactionEvent.tx-1-begin.json');
    const smv = (msg[3] as any).meterValue[0].sampledValue[0].signedMeterValue;
    expect(decodeSignedMeterValue(smv)).toMatchObject({ ok: true, ocmf: ocmf.trim(), transport: 'base64', publicKey: keyB64, encodingMethod: 'OCMF' });
  });

  it('accepts an empty publicKey and signingMethod', () => {
    expect(decodeSignedMeterValue({ signedMeterData: b64, signingMethod: '', encodingMethod: 'OCMF', publicKey: '' })).toMatchObject({ ok: true, publicKey: '' });
  });

  it('refuses other encodings', () => {
    expect(decodeSignedMeterValue({ signedMeterData: b64, encodingMethod: 'Alfen Eichrecht' })).toMatchObject({ ok: false, reason: 'unsupported-encoding-method' });
  });
});
