#!/usr/bin/env node
// `npm run bench`: lists the benchmarks. Each is run by hand (after `npm run build`) and prints its figures
// beside the ceiling it is measured against, measured in the same run.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
console.log('Benchmarks (run with `node bench/<name>.mjs` after `npm run build`):\n');
for (const file of readdirSync(dir).filter((f) => f.endsWith('.mjs') && f !== 'index.mjs').sort()) {
  const first = readFileSync(dir + file, 'utf8').split('\n').filter((l) => l.startsWith('//')).slice(0, 2).map((l) => l.replace(/^\/\/\s?/, '')).join(' ');
  console.log(`  ${file.padEnd(22)} ${first}`);
}
