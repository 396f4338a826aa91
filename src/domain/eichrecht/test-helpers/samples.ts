/**
 * Test access to shared/ocmf-samples (README there): the generated set with its manifest, the real
 * Transparenzsoftware fixtures with theirs, and the OCPP messages carrying the generated records.
 */
import fs from 'node:fs';
import type { OcmfContext } from '../types.js';

export const SAMPLES = new URL('../../../../test/fixtures/ocmf-samples/', import.meta.url);
const read = (rel: string) => fs.readFileSync(new URL(rel, SAMPLES), 'utf8');

export interface GeneratedManifest {
  publicKey: string;
  wrongPublicKey: string;
  transaction: string[];
  samples: Array<{ file: string; expected: 'valid' | 'invalid' | 'unparseable'; what: string; pairWith?: string; expectedPair?: 'pass' | 'fail' }>;
}
export interface RealEntry {
  id: string;
  ocmf: string;
  publicKey: string;
  xml: string;
  context: string;
  expectedUpstream: string;
}

export const generated = {
  manifest: JSON.parse(read('generated/manifest.json')) as GeneratedManifest,
  file: (name: string) => read(`generated/${name}`),
  key: () => read(`generated/${generated.manifest.publicKey}`),
  wrongKey: () => read(`generated/${generated.manifest.wrongPublicKey}`),
  message: (dir: 'ocpp16' | 'ocpp201', name: string) => JSON.parse(read(`generated/${dir}/${name}`)) as [number, string, string, Record<string, unknown>],
  messages: (dir: 'ocpp16' | 'ocpp201') => fs.readdirSync(new URL(`generated/${dir}/`, SAMPLES)).filter((f) => f.endsWith('.json')).sort(),
  cdrText: () => read('generated/ocpi/cdr.signed_data.good-transaction.json'),
};

export const real = {
  entries: (JSON.parse(read('real/manifest.json')) as { entries: RealEntry[] }).entries,
  ocmf: (e: RealEntry) => read(`real/${e.ocmf}`),
  key: (e: RealEntry) => read(`real/${e.publicKey}`),
};

export function contextOf(ocppContext: string | undefined): OcmfContext {
  return ocppContext === 'Transaction.Begin' ? 'begin' : ocppContext === 'Transaction.End' ? 'end' : 'intermediate';
}

export interface ExtractedSignedValue {
  raw: string;
  context: OcmfContext;
  /** 2.0.1 only: the whole SignedMeterValueType. */
  signedMeterValue?: { signedMeterData: string; signingMethod: string; encodingMethod: string; publicKey: string };
}

/** The signed values of an OCPP 1.6 MeterValues/StopTransaction or 2.0.1 TransactionEvent CALL, as the adapters see them. */
export function signedValuesOf(message: [number, string, string, Record<string, unknown>]): ExtractedSignedValue[] {
  const payload = message[3] as { meterValue?: unknown[]; transactionData?: unknown[] };
  const out: ExtractedSignedValue[] = [];
  for (const mv of (payload.meterValue ?? payload.transactionData ?? []) as Array<{ sampledValue: Array<Record<string, any>> }>) {
    for (const sv of mv.sampledValue) {
      if (sv.format === 'SignedData') out.push({ raw: sv.value, context: contextOf(sv.context) });
      else if (sv.signedMeterValue) out.push({ raw: sv.signedMeterValue.signedMeterData, context: contextOf(sv.context), signedMeterValue: sv.signedMeterValue });
    }
  }
  return out;
}
