/**
 * Commands, Receiver interface (OCPI 2.2.1 mod_commands §Receiver Interface; 2.1.1 commands.md):
 * `POST {commands}/{command}`. The CommandResponse (the bridge's verdict from what it knows now) is answered
 * at once; an ACCEPTED command then runs against the charger and its CommandResult is POSTed to the eMSP's
 * `response_url` within the promised `timeout` (see deferred.ts). An unknown location is OCPI 2003 with a
 * REJECTED CommandResponse (diagram command_unlock_unknow_location). 2.1.1 has no CANCEL_RESERVATION and
 * sends `{result}` both times. Every verdict and result is a log line with the party and the charger.
 */
import { Hono } from 'hono';
import type { OcpiVersionNumber } from '../../domain/ocpi-ports.js';
import { firstIssue } from '../credentials/wire.js';
import type { OcpiEnv } from '../context.js';
import { envelope, ok, OcpiError, OcpiStatus } from '../envelope.js';
import { methodNotAllowed } from '../middleware/method-not-allowed.js';
import type { OcpiModule } from '../modules.js';
import { callingPlatform, commandDepsOf } from '../tokens/routes.js';
import { partyOf } from '../tokens/platform-call.js';
import { cancelReservation } from './cancel-reservation.js';
import type { CommandHandler, Outcome } from './handler.js';
import { reserveNow } from './reserve-now.js';
import { startSession } from './start-session.js';
import { stopSession } from './stop-session.js';
import { runThenPost } from './deferred.js';
import { createTargets } from './targets.js';
import { unlockConnector } from './unlock-connector.js';
import { displayText, result211, type CommandType } from './wire.js';

const HANDLERS: Record<CommandType, CommandHandler> = {
  START_SESSION: startSession,
  STOP_SESSION: stopSession,
  UNLOCK_CONNECTOR: unlockConnector,
  RESERVE_NOW: reserveNow,
  CANCEL_RESERVATION: cancelReservation,
};

export const commandsModule: OcpiModule = {
  id: 'commands',
  role: 'RECEIVER',
  versions: ['2.2.1', '2.1.1'],
  functional: true,
  routes(deps, version: OcpiVersionNumber) {
    const app = new Hono<OcpiEnv>();
    const targets = createTargets(deps);
    const timeoutS = deps.config.ocpi.command_timeout_s;

    const response = (result: string, message?: string) => (version === '2.2.1'
      ? { result, timeout: timeoutS, ...(message ? { message: displayText(message) } : {}) }
      : { result });

    app.post('/:command', (c) => {
      const platform = callingPlatform(c);
      const x = commandDepsOf(deps);
      const command = c.req.param('command').toUpperCase() as CommandType;
      const handler = HANDLERS[command];
      const party = partyOf(platform);
      if (!handler || !handler.versions.includes(version)) {
        deps.log.info({ party, command }, 'OCPI command not supported');
        return ok(c, response('NOT_SUPPORTED', `${command} is not supported in OCPI ${version}`));
      }
      const parsed = handler.schema(version).safeParse(c.get('body'));
      if (!parsed.success) throw new OcpiError(OcpiStatus.INVALID_PARAMETERS, 400, `invalid ${command} request: ${firstIssue(parsed.error)}`);
      const body = parsed.data as { response_url: string };
      const verdict = handler.accept({ deps, x, version, platform, targets }, parsed.data);
      if (verdict.kind === 'refused') {
        deps.log.info({ party, command, charger: verdict.charger, response: verdict.response, why: verdict.message }, 'OCPI command refused');
        const data = response(verdict.response, verdict.message);
        if (verdict.unknownLocation) return c.json(envelope(OcpiStatus.UNKNOWN_LOCATION, verdict.message, data), 200);
        return ok(c, data);
      }
      const context = { party, command, charger: verdict.charger, ...verdict.context };
      deps.log.info(context, 'OCPI command accepted');
      void runThenPost<Outcome>(deps, {
        platform, responseUrl: body.response_url, deadlineMs: Date.now() + timeoutS * 1000, context,
        run: () => verdict.run(),
        onTimeout: () => ({ result: 'TIMEOUT', message: `no answer from ${verdict.charger} in time` }),
        onError: (err) => ({ result: 'FAILED', message: err.message }),
        body: (o) => (version === '2.2.1' ? { result: o.result, ...(o.message ? { message: displayText(o.message) } : {}) } : { result: result211(o.result) }),
      });
      return ok(c, response('ACCEPTED'));
    });

    methodNotAllowed(app, ['/', '/:command'], 'the bridge is the Receiver of Commands: POST {command}');
    return app;
  },
};
