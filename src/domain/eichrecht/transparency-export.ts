/**
 * A file for the S.A.F.E. Transparenzsoftware (reference §4 "Hand it to the customer", §5.8; TPS
 * `XML_Format.md` at d556f1a): `<values>` holding one `<value transactionId context>` per signed record, each
 * with `<signedData format="OCMF" encoding="plain">` = the OCMF text exactly (no whitespace or line break
 * around it, or the TPS cannot verify) and `<publicKey encoding="hex">` = hex of the DER SPKI.
 * The OCMF text is only XML-escaped (&, <, >, CR), which the XML parser undoes; quotes stay literal.
 */
import { decodeSignedValue } from './decode-signed-value.js';
import { parsePublicKeyFor, publicKeyHex, type MeterPublicKey } from './public-key.js';
import type { Failure, OcmfContext } from './types.js';

export interface TransparencyEntry {
  /** The stored raw value, exactly as received (transport encoding is undone here). */
  raw: string;
  context: OcmfContext;
  /** Key for this record; falls back to the export's key. */
  publicKey?: string | MeterPublicKey;
}
export interface TransparencyExportOptions {
  /** Shown by the TPS as the dataset number. */
  transactionId?: string | number;
  publicKey?: string | MeterPublicKey;
}
export type TransparencyExportResult =
  | { ok: true; xml: string; fileName: string; mediaType: 'application/xml'; warnings: string[] }
  | Failure<'no-values'>;

const OCPP_CONTEXT: Record<OcmfContext, string> = { begin: 'Transaction.Begin', intermediate: 'Sample.Periodic', end: 'Transaction.End' };

// A CR would be turned into LF by any XML parser (XML 1.0 §2.11) and so change the signed bytes: keep it as &#13;.
const text = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;
const attr = (s: string) => text(s).replace(/"/g, '&quot;');

function keyHex(k: string | MeterPublicKey | undefined, ocmf: string): { hex?: string; problem?: string } {
  if (k === undefined) return {};
  if (typeof k !== 'string') return { hex: publicKeyHex(k) };
  const r = parsePublicKeyFor(k, ocmf);
  return r.ok ? { hex: publicKeyHex(r.key) } : { problem: r.message };
}

export function buildTransparencyXml(entries: TransparencyEntry[], opts: TransparencyExportOptions = {}): TransparencyExportResult {
  const warnings: string[] = [];
  const tx = String(opts.transactionId ?? 1);
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<values>'];
  let count = 0;
  entries.forEach((e, i) => {
    const d = decodeSignedValue(e.raw);
    if (!d.ok) {
      warnings.push(`value ${i} left out: ${d.reason}: ${d.message}`);
      return;
    }
    if (NOT_XML.test(d.ocmf)) {
      warnings.push(`value ${i} left out: contains characters XML 1.0 cannot carry`);
      return;
    }
    const key = keyHex(e.publicKey ?? opts.publicKey, d.ocmf);
    if (key.problem) warnings.push(`value ${i}: public key left out: ${key.problem}`);
    lines.push(`  <value transactionId="${attr(tx)}" context="${OCPP_CONTEXT[e.context]}">`);
    lines.push(`    <signedData format="OCMF" encoding="plain">${text(d.ocmf)}</signedData>`);
    if (key.hex) lines.push(`    <publicKey encoding="hex">${key.hex}</publicKey>`);
    lines.push('  </value>');
    count++;
  });
  if (count === 0) return { ok: false, reason: 'no-values', message: 'no readable signed value to export' };
  lines.push('</values>', '');
  const safeId = tx.replace(/[^A-Za-z0-9_-]+/g, '_').slice(0, 64);
  return { ok: true, xml: lines.join('\n'), fileName: `transaction-${safeId}.ocmf.xml`, mediaType: 'application/xml', warnings };
}
