/**
 * `npm run ocpi -- <command>`: OCPI operator commands on the bridge's database (same config and env as the
 * bridge: BRIDGE_CONFIG, BRIDGE_DB, BRIDGE_PUBLIC_URL, ...). Safe while the bridge runs (SQLite WAL).
 *   token-a                                   prints a new registration token A (stored hashed, valid once)
 *   register <eMSP versions URL> <token A>    registers the bridge at an eMSP (credentials handshake)
 *   credit-cdr <cdr id> [--reissue]           credits a CDR (and issues a corrected one); the bridge delivers them
 * A new command is one entry in COMMANDS. Exit codes: 0 done, 1 failed, 2 usage or bad config.
 */
import type { DestinationStream } from 'pino';
import { ConfigError, loadConfig, type Config } from '../config.js';
import { createLog, type Log } from '../log.js';
import { systemClock } from '../domain/ports.js';
import type { OcpiStore } from '../domain/ocpi-ports.js';
import { openStores } from '../open-stores.js';
import { OCPI_BASE_PATH } from '../ocpi/context.js';
import { OcpiError } from '../ocpi/envelope.js';
import { registerAtPeer } from '../ocpi/credentials/register.js';
import { hashToken, newToken } from '../ocpi/tokens.js';
import type { Store } from '../domain/ports.js';
import { createDomainEvents } from '../domain/events.js';
import { createEichrechtService } from '../domain/eichrecht-service.js';
import { creditCdr } from '../ocpi/cdrs/credit.js';
import { openSessionCdrStore } from '../store/session-cdr-store.js';
import type { SqliteHandle } from '../store/open.js';

interface CommandContext {
  config: Config;
  store: Store;
  ocpiStore: OcpiStore;
  log: Log;
  publicUrl: string;
  out: (line: string) => void;
}

interface Command {
  usage: string;
  run(args: string[], ctx: CommandContext): Promise<number>;
}

const COMMANDS: Record<string, Command> = {
  'token-a': {
    usage: 'token-a',
    async run(_args, ctx) {
      const token = newToken();
      ctx.ocpiStore.addRegistrationToken(hashToken(token), systemClock.now().getTime());
      await ctx.ocpiStore.durable();
      ctx.out(token);
      ctx.out(`Give the eMSP this registration token A (valid for one registration) and the versions URL ${ctx.publicUrl}${OCPI_BASE_PATH}/versions`);
      return 0;
    },
  },
  register: {
    usage: 'register <eMSP versions URL> <token A>',
    async run(args, ctx) {
      const [url, tokenA] = args;
      if (!url || !tokenA || !/^https?:\/\//.test(url)) return usage();
      const deps = { config: ctx.config, store: ctx.ocpiStore, log: ctx.log, clock: systemClock, publicUrl: ctx.publicUrl };
      try {
        const platform = await registerAtPeer(deps, url, tokenA);
        const parties = platform.parties.map((p) => `${p.countryCode}*${p.partyId} (${p.role})`).join(', ');
        ctx.out(`Registered at ${url}: OCPI ${platform.version}, ${parties}. The eMSP now calls ${ctx.publicUrl}${OCPI_BASE_PATH}/versions with its own token.`);
        return 0;
      } catch (err) {
        const code = err instanceof OcpiError ? ` [OCPI ${err.statusCode}]` : '';
        console.error(`registration failed${code}: ${(err as Error).message}`);
        return 1;
      }
    },
  },
  'credit-cdr': {
    usage: 'credit-cdr <cdr id> [--reissue]',
    async run(args, ctx) {
      const id = args.find((a) => !a.startsWith('--'));
      if (!id || args.some((a) => a.startsWith('--') && a !== '--reissue')) return usage();
      const sessions = openSessionCdrStore((ctx.store as Store & { sqlite: SqliteHandle }).sqlite);
      const eichrecht = createEichrechtService({ store: ctx.store, clock: systemClock, events: createDomainEvents(() => undefined), log: ctx.log });
      const cpo = { countryCode: ctx.config.cpo.country_code, partyId: ctx.config.cpo.party_id };
      const outcome = creditCdr({ domain: ctx.store, sessions, eichrecht, cpo, signedDataUrl: ctx.config.ocpi.signed_data_url }, id, args.includes('--reissue'), systemClock.now().getTime());
      await ctx.store.durable();
      if (!outcome.ok) {
        console.error(`credit-cdr failed: ${outcome.message}`);
        return 1;
      }
      ctx.out(`Credit CDR ${outcome.creditId} created${outcome.reissuedId ? `, corrected CDR ${outcome.reissuedId} issued` : ''}; the bridge delivers them to the eMSP.`);
      return 0;
    },
  },
};

function usage(): number {
  console.error(`usage: npm run ocpi -- <command>\n${Object.values(COMMANDS).map((c) => `  ${c.usage}`).join('\n')}`);
  return 2;
}

async function runOcpiCli(argv: string[], env: Record<string, string | undefined>, out: (line: string) => void = console.log): Promise<number> {
  const [name, ...args] = argv;
  const command = name ? COMMANDS[name] : undefined;
  if (!command) return usage();
  let config: Config;
  try {
    config = loadConfig(env.BRIDGE_CONFIG || 'config/default.yaml', env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`invalid configuration: ${err.message}`);
      return 2;
    }
    throw err;
  }
  // Log lines (never tokens) go to stderr so that stdout carries only the command's output.
  const log = createLog(config.log.level, process.stderr as unknown as DestinationStream);
  const publicUrl = (config.http.public_url ?? `http://localhost:${config.http.port}`).replace(/\/+$/, '');
  if (!config.http.public_url && config.http.port === 0) log.warn({}, 'http.port is 0 and no BRIDGE_PUBLIC_URL: the versions URL we advertise will be wrong');
  const { store, ocpiStore } = openStores({ path: config.database.path, synchronous: config.database.synchronous });
  try {
    return await command.run(args, { config, store, ocpiStore, log, publicUrl, out });
  } finally {
    store.close();
  }
}

runOcpiCli(process.argv.slice(2), process.env).then((code) => process.exit(code), (err) => {
  console.error(`ocpi command failed: ${(err as Error).message}`);
  process.exit(1);
});
