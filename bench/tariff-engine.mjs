#!/usr/bin/env node
// Tariff engine: CDRs priced per second for a 1-hour session with 5-second meter samples under tariff_4_complex,
// beside JSON.stringify of the same CDR-like result per second (the ceiling), in the same run; median of 5 runs, min/max.
// Usage: node bench/tariff-engine.mjs [--seconds 3]   (after `npm run build`; imports the compiled engine from dist/)
//
// The end-to-end figure (1,000 sessions ending at once on the built bridge: CDRs created and delivered to an eMSP
// per second, beside bare POSTs, priceSession alone and JSON.stringify) is bench/cdr-burst.mjs.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({ options: { seconds: { type: 'string', default: '3' } } });
const RUNS = 5;
const RUN_MS = (Number(args.seconds) * 1000) / RUNS; // per run, for the engine and again for the JSON baseline

let priceSession;
try {
  ({ priceSession } = await import('../dist/src/domain/tariffs/price-session.js'));
} catch (error) {
  console.error(`cannot load dist/src/domain/tariffs/price-session.js (run \`npm run build\` first): ${error.message}`);
  process.exit(1);
}
const tariff = JSON.parse(readFileSync(new URL('../test/fixtures/ocpi-examples/tariff_4_complex.json', import.meta.url), 'utf8'));

// Monday 09:30 Europe/Berlin: 30 min at 16 A / 11 kW, 20 min at 43 A / 29.7 kW, 10 min not charging. 720 samples.
function session() {
  const startMs = Date.parse('2026-07-06T09:30:00+02:00');
  const samples = [];
  let energyWh = 0;
  for (let s = 5; s <= 3600; s += 5) {
    const [powerW, currentA] = s <= 1800 ? [11_000, 16] : s <= 3000 ? [29_700, 43] : [0, 0];
    energyWh += (powerW * 5) / 3600;
    samples.push({ at: new Date(startMs + s * 1000), energyWh, powerW, currentA });
  }
  return { startedAt: new Date(startMs), endedAt: new Date(startMs + 3_600_000), timeZone: 'Europe/Berlin', samples };
}

/** Calls fn repeatedly for RUN_MS; returns calls per second. */
function rate(fn) {
  let calls = 0;
  const start = process.hrtime.bigint();
  const until = start + BigInt(Math.round(RUN_MS * 1e6));
  let now = start;
  while (now < until) {
    for (let i = 0; i < 20; i++) fn();
    calls += 20;
    now = process.hrtime.bigint();
  }
  return calls / (Number(now - start) / 1e9);
}

const input = session();
const cdr = priceSession(tariff, input);
const { chargingPeriods, warnings, ...totals } = cdr;
if (warnings.length > 0) console.log(`engine warnings: ${warnings.join('; ')}`);
for (let i = 0; i < 300; i++) JSON.stringify(priceSession(tariff, input)); // warm-up

const engine = [];
const json = [];
for (let run = 0; run < RUNS; run++) {
  engine.push(rate(() => priceSession(tariff, input)));
  json.push(rate(() => JSON.stringify(cdr)));
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (x) => Math.round(x).toLocaleString('en-US');
const line = (label, xs) => console.log(`${label.padEnd(44)} median ${fmt(median(xs)).padStart(9)} /s   (min ${fmt(Math.min(...xs))}, max ${fmt(Math.max(...xs))})`);

console.log(`node ${process.version}; ${RUNS} runs of ~${Math.round(RUN_MS)} ms each, alternating`);
console.log(`session: 1 h, ${input.samples.length} samples every 5 s, tariff_4_complex -> ${chargingPeriods.length} charging periods,`);
console.log(`         total_cost ${JSON.stringify(totals.total_cost)} EUR, ${totals.total_energy} kWh, CDR-like JSON ${JSON.stringify(cdr).length} bytes`);
line('priceSession (CDRs priced)', engine);
line('JSON.stringify of the same result (ceiling)', json);
console.log(`ratio priceSession / JSON.stringify: ${(median(engine) / median(json)).toFixed(3)} (${(1e6 / median(engine)).toFixed(0)} us per CDR priced vs ${(1e6 / median(json)).toFixed(1)} us per stringify)`);
