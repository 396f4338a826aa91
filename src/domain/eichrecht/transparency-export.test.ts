import { describe, expect, it } from 'vitest';
import { generated, real } from './test-helpers/samples.js';
import { buildTransparencyXml } from './transparency-export.js';
import type { OcmfContext } from './types.js';
import { verifyOcmf } from './verify-ocmf.js';

const TX = generated.manifest.transaction;
const CONTEXTS: OcmfContext[] = ['begin', 'intermediate', 'intermediate', 'end'];
const unescape = (s: string) => s.replace(/&#13;/g, '\r').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** What the TPS reads: every <value> with its signedData text and publicKey. */
function readBack(xml: string) {
  return [...xml.matchAll(/<value transactionId="([^"]*)" context="([^"]*)">\s*<signedData format="OCMF" encoding="plain">([^<]*)<\/signedData>\s*(?:<publicKey encoding="hex">([0-9A-F]+)<\/publicKey>)?/g)].map(
    (m) => ({ transactionId: m[1], context: m[2], ocmf: unescape(m[3]), publicKey: m[4] }),
  );
}

describe('buildTransparencyXml', () => {
  it('writes the TPS values format with the exact OCMF texts and the hex SPKI key', () => {
    const r = buildTransparencyXml(TX.map((f, i) => ({ raw: generated.file(f), context: CONTEXTS[i] })), { transactionId: 4711, publicKey: generated.file('test-key.public.spki.b64') });
    if (!r.ok) throw new Error(r.message);
    expect(r.fileName).toBe('transaction-4711.ocmf.xml');
    expect(r.xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<values>\n')).toBe(true);
    const values = readBack(r.xml);
    expect(values.map((v) => v.context)).toEqual(['Transaction.Begin', 'Sample.Periodic', 'Sample.Periodic', 'Transaction.End']);
    values.forEach((v, i) => {
      expect(v.ocmf).toBe(generated.file(TX[i]));
      expect(v.publicKey).toBe(generated.key().trim());
      expect(verifyOcmf(v.ocmf, v.publicKey).status).toBe('verified');
    });
  });

  it('keeps payloads with line breaks, tabs, CR and XML specials verifiable', () => {
    const isa = real.entries.find((e) => e.id === 'OCMF-receipt-with_import_and_export.1')!;
    const weird = 'OCMF|{"TT":"a<b & c>d\r\n\te"}|{"SD":"00"}';
    const r = buildTransparencyXml([{ raw: real.ocmf(isa), context: 'end' }, { raw: weird, context: 'end' }]);
    if (!r.ok) throw new Error(r.message);
    expect(r.xml).not.toMatch(/\r/);
    expect(readBack(r.xml).map((v) => v.ocmf)).toEqual([real.ocmf(isa), weird]);
  });

  it('per-record keys win over the export key; an unreadable key is left out with a warning', () => {
    const r = buildTransparencyXml([
      { raw: generated.file('broken-wrong-key.ocmf'), context: 'end', publicKey: generated.wrongKey() },
      { raw: generated.file(TX[0]), context: 'begin', publicKey: 'nonsense!' },
    ], { publicKey: generated.key() });
    if (!r.ok) throw new Error(r.message);
    const [a, b] = readBack(r.xml);
    expect(verifyOcmf(a.ocmf, a.publicKey).status).toBe('verified');
    expect(b.publicKey).toBeUndefined();
    expect(r.warnings[0]).toMatch(/value 1: public key left out/);
  });

  it('wraps a raw X||Y key (ISA) into an SPKI on the curve of the record', () => {
    const isa = real.entries.find((e) => e.id === 'OCMF-receipt-with_publickey_and_data.1')!;
    const r = buildTransparencyXml([{ raw: real.ocmf(isa), context: 'end', publicKey: real.key(isa) }]);
    expect(r.ok && readBack(r.xml)[0].publicKey).toBe(`3059301306072A8648CE3D020106082A8648CE3D030107034200${`04${real.key(isa).trim()}`}`);
  });

  it('skips unreadable values and fails when nothing is left', () => {
    const r = buildTransparencyXml([{ raw: generated.file('broken-garbage.ocmf'), context: 'end' }, { raw: generated.file(TX[3]), context: 'end' }]);
    expect(r.ok && readBack(r.xml).length).toBe(1);
    expect(buildTransparencyXml([{ raw: 'x', context: 'end' }])).toMatchObject({ ok: false, reason: 'no-values' });
  });

  it('makes a safe file name from any transaction id', () => {
    const r = buildTransparencyXml([{ raw: generated.file(TX[0]), context: 'begin' }], { transactionId: '../b7f1 c2d0"<x>' });
    expect(r.ok && r.fileName).toBe('transaction-_b7f1_c2d0_x_.ocmf.xml');
    expect(r.ok && r.xml).toContain('transactionId="../b7f1 c2d0&quot;&lt;x&gt;"');
  });
});
