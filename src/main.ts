/**
 * Process entry: environment + config file -> loadConfig -> startBridge -> signals.
 * Exit codes: 0 clean stop, 1 could not start (database, port in use, ...), 2 bad configuration.
 * SIGTERM / SIGINT stop accepting, close chargers with 1001 going away, finish writes, close the database.
 */
import { ConfigError, loadConfig, type Config } from './config.js';
import { createLog } from './log.js';
import { startBridge } from './start.js';

const STOP_DEADLINE_MS = 10_000;

// Logs go through process.stdout: pino's own fd writer retries a broken pipe forever when it flushes at exit
// (seen as a bridge that ignores SIGTERM after its log reader went away); a lost reader must not stop the bridge.
process.stdout.on('error', () => undefined);
const out = process.stdout;

async function main(): Promise<void> {
  const configPath = process.env.BRIDGE_CONFIG || 'config/default.yaml';
  let config: Config;
  try {
    config = loadConfig(configPath, process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      createLog('error', out).fatal({ config: configPath, err: err.message }, `invalid configuration: ${err.message}`);
      process.exit(2);
    }
    throw err;
  }
  const log = createLog(config.log.level, out);
  let bridge;
  try {
    bridge = await startBridge(config, log);
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { port?: number };
    const message = e.code === 'EADDRINUSE' ? `port already in use: ${e.message}` : e.message;
    log.fatal({ err: message, code: e.code }, `bridge could not start: ${message}`);
    process.exit(1);
  }
  log.info({ url: bridge.urls.ocpp }, `chargers: point OCPP 1.6J / 2.0.1 charge points at ${bridge.urls.ocpp}`);
  log.info({ url: bridge.urls.ocpiVersions }, `eMSPs: OCPI versions at ${bridge.urls.ocpiVersions}`);
  log.info(
    { url: bridge.urls.ocpiVersions },
    'register an eMSP: `npm run ocpi -- token-a` prints a registration token A (or set BRIDGE_OCPI_TOKEN_A); give the eMSP that token and the versions URL',
  );
  if (!config.status_page.enabled) log.info('technicians: status page disabled (status_page.enabled: false)');
  else if (bridge.statusPagePassword) {
    // Printed once: only its hash is stored, and later starts do not have the clear text.
    const { user, password } = bridge.statusPagePassword;
    log.info({ url: bridge.urls.statusPage }, `technicians: status page at ${bridge.urls.statusPage} (first start: user "${user}", password "${password}" — shown only this once; set status_page.users to choose your own)`);
  } else log.info({ url: bridge.urls.statusPage }, `technicians: status page at ${bridge.urls.statusPage}`);
  log.info({ health: bridge.urls.health, metrics: bridge.urls.metrics }, 'health and metrics');
  // Last, so that a script waiting for it has every URL line already.
  log.info({ ports: bridge.ports, urls: bridge.urls }, 'bridge started');

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    const deadline = setTimeout(() => {
      log.error({ signal }, 'stop took longer than 10 s, exiting');
      process.exit(1);
    }, STOP_DEADLINE_MS);
    deadline.unref();
    bridge.stop().then(
      () => {
        log.info({ signal }, 'stopped');
        process.exit(0);
      },
      (err) => {
        log.error({ err: (err as Error).message }, 'error while stopping');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((err) => {
  createLog('error', out).fatal({ err: (err as Error).message, stack: (err as Error).stack }, 'bridge crashed');
  process.exit(1);
});
