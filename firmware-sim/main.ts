/**
 * `npm run sim -- [options]`: simulated OCPP 1.6J charge points or OCPP 2.0.1 charging stations against any
 * OCPP endpoint (CONTRACT.md), optionally with OCMF-signed meter values. One JSON line per event and a summary
 * at the end; exits 0 after --duration seconds (or after one session each with --scenario session), or on SIGINT.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createSimulatedFleet, createSimulatedFleet201, type SimulatedCharger } from './index.js';
import { isSignedVariant, keyFilePath, MeterSigner, SIGNED_VARIANTS, type SignedVariant } from './ocmf.js';

const HELP = `usage: npm run sim -- [options]
  --url URL               OCPP endpoint without the identity (default ws://localhost:9000/ocpp)
  --protocol 1.6|2.0.1    OCPP version spoken (default 1.6; --ocpp is the same option)
  --chargers N            number of simulated chargers (default 1)
  --identity-prefix P     identities P0001, P0002, ... (default CP-)
  --connectors N          connectors per charge point (1.6) or EVSEs per station (2.0.1) (default 1)
  --password P            HTTP Basic password (security profile 1)
  --scenario S            steady: sessions back to back until --duration (default)
                          session: one session on every connector, then exit
                          idle: boot, report status and stay connected until --duration
  --duration S            seconds before the simulator stops (default 60)
  --power-w W             charging power in W (default 11000)
  --meter-interval S      seconds between meter values; 6 per session (default 10)
  --id-tag TAG            token the sessions are started with (default 04A2B3C4D5E6F7)
  --signed[=VARIANT]      sign the transaction meter readings in OCMF (ECDSA-secp256r1-SHA256, one key per
                          identity): 1.6 SignedData values, 2.0.1 signedMeterValue. VARIANT: ${SIGNED_VARIANTS.join(', ')}
                          (default good; the others are broken on purpose, to test a backend's Eichrecht checks)
  --key-dir DIR           where the meter keys live: DIR/<identity>.pem (PKCS#8), created on first use and
                          reused afterwards (default ./sim-keys)
  --print-keys            print every identity's public key (hex DER SubjectPublicKeyInfo, the form of the
                          bridge's meter_public_key) as JSON lines, creating missing keys, and exit
  --help                  this text`;

// `--signed` alone means the good variant (parseArgs string options need a value).
const argv = process.argv.slice(2).map((a) => (a === '--signed' ? '--signed=good' : a));
let values: Record<string, string | boolean | undefined>;
try {
  ({ values } = parseArgs({
    args: argv,
    options: {
      url: { type: 'string', default: 'ws://localhost:9000/ocpp' }, chargers: { type: 'string', default: '1' },
      protocol: { type: 'string' }, ocpp: { type: 'string' },
      'identity-prefix': { type: 'string', default: 'CP-' }, connectors: { type: 'string', default: '1' }, password: { type: 'string' },
      scenario: { type: 'string', default: 'steady' }, duration: { type: 'string', default: '60' }, 'power-w': { type: 'string', default: '11000' },
      'meter-interval': { type: 'string', default: '10' }, 'id-tag': { type: 'string', default: '04A2B3C4D5E6F7' },
      signed: { type: 'string' }, 'key-dir': { type: 'string', default: join(process.cwd(), 'sim-keys') }, 'print-keys': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  }));
} catch (err) {
  console.error(`${(err as Error).message}\n${HELP}`);
  process.exit(2);
}
const str = (k: string) => values[k] as string;
if (values.help) {
  console.log(HELP);
  process.exit(0);
}
const fail = (message: string): never => {
  console.error(message);
  process.exit(2);
};
const protocol = str('protocol') ?? str('ocpp') ?? '1.6';
if (protocol !== '1.6' && protocol !== '2.0.1') fail(`--protocol ${protocol}: the simulator speaks 1.6 and 2.0.1`);
if (!['steady', 'session', 'idle'].includes(str('scenario'))) fail(`--scenario ${str('scenario')}: steady, session or idle`);
for (const k of ['chargers', 'connectors']) if (!/^[1-9]\d*$/.test(str(k))) fail(`--${k} ${str(k)}: a whole number of at least 1`);
for (const k of ['duration', 'power-w', 'meter-interval']) if (!(Number(str(k)) >= 0)) fail(`--${k} ${str(k)}: not a number of 0 or more`);
const variant = str('signed');
if (variant !== undefined && !isSignedVariant(variant)) fail(`--signed=${variant}: one of ${SIGNED_VARIANTS.join(', ')}`);
const signed = variant !== undefined ? { variant: variant as SignedVariant, keyDir: str('key-dir') } : undefined;

const line = (event: string, data: Record<string, unknown> = {}) => console.log(JSON.stringify({ time: new Date().toISOString(), event, ...data }));
// chargers reconnect by themselves when the central system drops them (a restart, a network cut)
const common = { url: str('url'), count: Number(str('chargers')), identityPrefix: str('identity-prefix'), password: str('password'), powerW: Number(str('power-w')), signed, reconnectDelayMs: 1000 };
const fleet: SimulatedCharger[] = protocol === '2.0.1'
  ? createSimulatedFleet201({ ...common, evses: Number(str('connectors')), autoHeartbeat: true })
  : createSimulatedFleet({ ...common, connectors: Number(str('connectors')) });

if (values['print-keys']) {
  for (const cp of fleet) {
    const signer = cp.signer ?? new MeterSigner(cp.identity, { keyDir: str('key-dir') });
    line('key', { identity: cp.identity, publicKey: signer.publicKeyHex(), keyFile: keyFilePath(str('key-dir'), cp.identity) });
  }
  process.exit(0);
}

const counts = { connected: 0, transactions: 0, meterValues: 0, errors: 0 };
let stopping = false;
const intervalS = Number(str('meter-interval'));
const outlets = (cp: SimulatedCharger) => ('evses' in cp ? cp.evses : cp.connectors).map((x) => x.id);

async function run(cp: SimulatedCharger): Promise<void> {
  try {
    await cp.connect();
    counts.connected++;
    line('connected', { identity: cp.identity, protocol: `ocpp${protocol}`, boot: cp.bootStatus, ...(cp.signer ? { publicKey: cp.signer.publicKeyHex(), variant: cp.signer.variant } : {}) });
    if (str('scenario') === 'idle') return;
    do {
      for (const id of outlets(cp)) await cp.startTransaction(id, str('id-tag'));
      counts.transactions += outlets(cp).length;
      for (let t = 0; t < 6 && !stopping; t++) {
        await new Promise((r) => setTimeout(r, intervalS * 1000));
        for (const id of outlets(cp)) await cp.advance(id, intervalS);
        counts.meterValues += outlets(cp).length;
      }
      for (const id of outlets(cp)) await cp.stopTransaction(id);
    } while (str('scenario') === 'steady' && !stopping);
  } catch (err) {
    if (stopping) return; // a call cut off by our own shutdown is not a failure of the charger
    counts.errors++;
    line('error', { identity: cp.identity, error: (err as Error).message });
  }
}

async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await Promise.all(fleet.map((cp) => cp.close()));
  line('summary', counts);
  process.exit(counts.errors ? 1 : 0);
}

process.on('SIGINT', () => void stop());
setTimeout(() => void stop(), Number(str('duration')) * 1000).unref();
void Promise.all(fleet.map(run)).then(async () => {
  if (str('scenario') === 'session') await stop();
});
