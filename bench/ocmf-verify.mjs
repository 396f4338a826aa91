#!/usr/bin/env node
// OCMF verification: P-256 readings through decode + parse + verify (the BUILT src/domain/eichrecht) per second;
// beside it, in the same run, the bare crypto.verify rate on the same payload/signature with a ready KeyObject.
// Usage: node bench/ocmf-verify.mjs [--seconds 3] [--runs 5] [--form plain|base64|envelope] [--dist dist]
// Prints median/min/max of both rates over the runs and the ratio pipeline/bare (target >= 0.8).
// The samples are the good transaction tx-1..tx-4 of shared/ocmf-samples/generated with its test public key.
import crypto from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '3' },
    runs: { type: 'string', default: '5' },
    form: { type: 'string', default: 'plain' },
    dist: { type: 'string', default: 'dist' },
  },
});
const SECONDS = Number(args.seconds);
const RUNS = Number(args.runs);
const lib = new URL(`../${args.dist}/src/domain/eichrecht/`, import.meta.url);
const { decodeSignedValue } = await import(new URL('decode-signed-value.js', lib).href);
const { parseOcmf } = await import(new URL('parse-ocmf.js', lib).href);
const { verifyOcmf } = await import(new URL('verify-ocmf.js', lib).href);

const samples = new URL('../test/fixtures/ocmf-samples/generated/', import.meta.url);
const read = (f) => readFileSync(new URL(f, samples), 'utf8');
const manifest = JSON.parse(read('manifest.json'));
const keyHex = read(manifest.publicKey);
const keyB64 = read('test-key.public.spki.b64').trim();
const texts = manifest.transaction.map(read);

// What the bridge has stored per reading: the OCPP value as received, in the chosen transport form.
const raws = texts.map((t) => {
  const b64 = Buffer.from(t, 'utf8').toString('base64');
  if (args.form === 'base64') return b64;
  if (args.form === 'envelope') return JSON.stringify({ signedMeterData: b64, signingMethod: 'ECDSA-secp256r1-SHA256', encodingMethod: 'OCMF', publicKey: keyB64 });
  return t;
});

// Bare: the same payload bytes and DER signatures, key imported once, nothing parsed in the loop.
const bareKey = crypto.createPublicKey({ key: Buffer.from(keyHex.trim(), 'hex'), format: 'der', type: 'spki' });
const bare = texts.map((t) => {
  const [, payload, sig] = t.split('|');
  return { data: Buffer.from(payload, 'utf8'), sig: Buffer.from(JSON.parse(sig).SD, 'hex') };
});

function pipelineOnce(i) {
  const d = decodeSignedValue(raws[i & 3]);
  if (!d.ok) throw new Error(d.message);
  const p = parseOcmf(d.ocmf);
  if (!p.ok) throw new Error(p.message);
  if (verifyOcmf(p, keyHex).status !== 'verified') throw new Error('not verified');
}
function bareOnce(i) {
  const b = bare[i & 3];
  if (!crypto.verify('sha256', b.data, { key: bareKey, dsaEncoding: 'der' }, b.sig)) throw new Error('bare not verified');
}

/** Interleaved blocks, so both see the same CPU state; each side gets about `seconds` of work. */
function run(seconds) {
  const BLOCK = 200;
  const t = { pipe: 0, bare: 0 };
  const n = { pipe: 0, bare: 0 };
  const end = performance.now() + seconds * 2000;
  while (performance.now() < end) {
    let t0 = performance.now();
    for (let i = 0; i < BLOCK; i++) pipelineOnce(i);
    t.pipe += performance.now() - t0;
    n.pipe += BLOCK;
    t0 = performance.now();
    for (let i = 0; i < BLOCK; i++) bareOnce(i);
    t.bare += performance.now() - t0;
    n.bare += BLOCK;
  }
  return { pipe: (n.pipe / t.pipe) * 1000, bare: (n.bare / t.bare) * 1000 };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (x) => Math.round(x).toLocaleString('en-US').padStart(8);

run(0.5); // warm-up: JIT, key cache
const results = [];
for (let r = 0; r < RUNS; r++) {
  const x = run(SECONDS);
  results.push({ ...x, ratio: x.pipe / x.bare });
  console.log(`run ${r + 1}: pipeline ${fmt(x.pipe)}/s  bare crypto.verify ${fmt(x.bare)}/s  ratio ${(x.pipe / x.bare).toFixed(3)}`);
}
const col = (k) => results.map((x) => x[k]);
console.log(`\nOCMF P-256 verification, form "${args.form}", ${RUNS} runs x ~${SECONDS} s each side, Node ${process.version}`);
console.log('                         median       min       max');
for (const [label, k] of [['decode+parse+verify /s', 'pipe'], ['bare crypto.verify /s ', 'bare']]) {
  console.log(`${label}  ${fmt(median(col(k)))}  ${fmt(Math.min(...col(k)))}  ${fmt(Math.max(...col(k)))}`);
}
const ratios = col('ratio');
console.log(`ratio (target >= 0.8)      ${median(ratios).toFixed(3).padStart(6)}    ${Math.min(...ratios).toFixed(3).padStart(6)}    ${Math.max(...ratios).toFixed(3).padStart(6)}`);
