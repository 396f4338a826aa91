/**
 * ChargingProfiles, Receiver interface (OCPI 2.2.1 mod_charging_profiles; reference/ocpi-2.2.1.md §3.7) on
 * `{chargingprofiles}/{session_id}`: GET (the active profile, from OCPP GetCompositeSchedule), PUT
 * (SetChargingProfile as an OCPP TxProfile on the session's transaction), DELETE (ClearChargingProfile). Each
 * answers a ChargingProfileResponse at once and POSTs its result to `response_url` within `timeout`.
 * Units: OCPI W is the total power, A per phase; when the charger takes only one unit (1.6 configuration
 * ChargingScheduleAllowedChargingRateUnit, 2.0.1 SmartChargingCtrlr.RateUnit) the profile is converted with the
 * EVSE's phases and voltage (domain/charging-profile-units.ts), and an active profile is reported in the unit asked.
 * Only the eMSP whose token started the session may touch its profiles (others get UNKNOWN_SESSION).
 */
import { Hono, type Context } from 'hono';
import { convertSchedule, electricalOf } from '../../domain/charging-profile-units.js';
import type { CommandOutcome } from '../../domain/ports.js';
import type { TransactionRecord } from '../../domain/records.js';
import { transactionOfSession } from '../../domain/session-lookup.js';
import type { OcpiCommandDeps } from '../../domain/token-ports.js';
import { runThenPost } from '../commands/deferred.js';
import { responseUrl } from '../commands/wire.js';
import type { OcpiEnv } from '../context.js';
import { firstIssue } from '../credentials/wire.js';
import { ok, OcpiError, OcpiStatus } from '../envelope.js';
import { methodNotAllowed } from '../middleware/method-not-allowed.js';
import type { OcpiModule } from '../modules.js';
import { partyOf } from '../tokens/platform-call.js';
import { callingPlatform, commandDepsOf } from '../tokens/routes.js';
import { createActiveProfilePush } from './active-push.js';
import { setChargingProfile, toActiveChargingProfile, toNeutralProfile, type ChargingProfileResponseType, type ChargingProfileResultType } from './wire.js';

type Result = { result: ChargingProfileResultType; profile?: unknown; message?: string };

export const chargingProfilesModule: OcpiModule = {
  id: 'chargingprofiles',
  role: 'RECEIVER',
  versions: ['2.2.1'],
  functional: true,
  routes(deps) {
    const app = new Hono<OcpiEnv>();
    const timeoutS = deps.config.ocpi.command_timeout_s;
    const answer = (c: Context<OcpiEnv>, result: ChargingProfileResponseType) => ok(c, { result, timeout: timeoutS });
    const activeProfiles = createActiveProfilePush(deps);

    /** The session's running transaction and its charger, or the response that refuses the request. */
    function sessionOf(c: Context<OcpiEnv>, x: OcpiCommandDeps): { tx: TransactionRecord; evseOcppId: number } | ChargingProfileResponseType {
      const platform = callingPlatform(c);
      const sessionId = c.req.param('session_id')!;
      const tx = transactionOfSession({ store: x.domain, sessions: x.sessions }, sessionId);
      if (!tx || tx.platformId !== platform.id || tx.status !== 'active') return 'UNKNOWN_SESSION';
      const evse = tx.evseRowId !== null ? x.domain.getEvseByRowId(tx.evseRowId) : undefined;
      if (!evse || tx.ocppTransactionId === null) return 'REJECTED';
      if (!x.chargers.isConnected(tx.chargerIdentity)) return 'REJECTED';
      return { tx, evseOcppId: evse.ocppId };
    }

    function later(c: Context<OcpiEnv>, url: string, tx: TransactionRecord, what: string, run: () => Promise<Result>) {
      const platform = callingPlatform(c);
      const context = { party: partyOf(platform), request: what, charger: tx.chargerIdentity, session: c.req.param('session_id') };
      deps.log.info(context, 'OCPI charging profile request accepted');
      void runThenPost<Result>(deps, {
        platform, responseUrl: url, deadlineMs: Date.now() + timeoutS * 1000, context, run,
        onTimeout: () => ({ result: 'REJECTED', message: 'no answer from the charger in time' }),
        onError: (err) => ({ result: 'REJECTED', message: err.message }),
        body: ({ message: _m, ...r }) => r,
      });
    }

    const refusedBy = (o: Extract<CommandOutcome<unknown>, { ok: false }>): Result => ({ result: 'REJECTED', message: o.message });

    app.get('/:session_id', (c) => {
      const x = commandDepsOf(deps);
      const url = responseUrl.safeParse(c.req.query('response_url'));
      if (!url.success) throw new OcpiError(OcpiStatus.INVALID_PARAMETERS, 400, `response_url: ${firstIssue(url.error)}`);
      const duration = Number(c.req.query('duration'));
      if (!Number.isInteger(duration) || duration <= 0 || duration > 86_400) throw new OcpiError(OcpiStatus.INVALID_PARAMETERS, 400, 'duration: whole seconds, 1 to 86400');
      const s = sessionOf(c, x);
      if (typeof s === 'string') return answer(c, s);
      const unit = rateUnitsOf(x, s.tx.chargerIdentity);
      later(c, url.data, s.tx, 'GET', async () => {
        const o = await x.chargers.send(s.tx.chargerIdentity, 'getCompositeSchedule', { evseOcppId: s.evseOcppId, durationS: duration, ...(unit.only ? { rateUnit: unit.only } : {}) });
        if (!o.ok) return refusedBy(o);
        if (o.value.status !== 'Accepted' || !o.value.schedule) return { result: 'REJECTED', message: 'the charger has no schedule' };
        const start = o.value.scheduleStart ?? o.value.schedule.startSchedule ?? deps.clock.now();
        return { result: 'ACCEPTED', profile: toActiveChargingProfile(o.value.schedule, start) };
      });
      return answer(c, 'ACCEPTED');
    });

    app.put('/:session_id', (c) => {
      const x = commandDepsOf(deps);
      const parsed = setChargingProfile.safeParse(c.get('body'));
      if (!parsed.success) throw new OcpiError(OcpiStatus.INVALID_PARAMETERS, 400, `invalid SetChargingProfile: ${firstIssue(parsed.error)}`);
      const s = sessionOf(c, x);
      if (typeof s === 'string') return answer(c, s);
      const wanted = toNeutralProfile(parsed.data.charging_profile, s.tx.id, s.tx.ocppTransactionId!);
      const unit = rateUnitsOf(x, s.tx.chargerIdentity);
      let schedule = wanted.schedule;
      if (unit.only && unit.only !== schedule.rateUnit) {
        const connector = s.tx.connectorRowId !== null ? x.domain.listConnectors(s.tx.evseRowId!).find((k) => k.id === s.tx.connectorRowId) : undefined;
        const converted = convertSchedule(schedule, unit.only, electricalOf(connector ?? x.domain.listConnectors(s.tx.evseRowId!)[0]));
        if (!converted) {
          deps.log.warn({ party: partyOf(callingPlatform(c)), charger: s.tx.chargerIdentity }, 'charging profile refused: the charger takes another unit and the EVSE lacks voltage or phases');
          return answer(c, 'NOT_SUPPORTED');
        }
        schedule = converted;
      }
      const sessionId = c.req.param('session_id')!;
      const platform = callingPlatform(c);
      later(c, parsed.data.response_url, s.tx, 'PUT', async () => {
        const o = await x.chargers.send(s.tx.chargerIdentity, 'setChargingProfile', { evseOcppId: s.evseOcppId, profile: { ...wanted, schedule } });
        if (!o.ok) return refusedBy(o);
        if (o.value.status !== 'Accepted') return { result: 'REJECTED' };
        activeProfiles.setBy(sessionId, platform.id);
        activeProfiles.changed(sessionId, s.tx, s.evseOcppId);
        return { result: 'ACCEPTED' };
      });
      return answer(c, 'ACCEPTED');
    });

    app.delete('/:session_id', (c) => {
      const x = commandDepsOf(deps);
      const url = responseUrl.safeParse(c.req.query('response_url'));
      if (!url.success) throw new OcpiError(OcpiStatus.INVALID_PARAMETERS, 400, `response_url: ${firstIssue(url.error)}`);
      const s = sessionOf(c, x);
      if (typeof s === 'string') return answer(c, s);
      const sessionId = c.req.param('session_id')!;
      later(c, url.data, s.tx, 'DELETE', async () => {
        const o = await x.chargers.send(s.tx.chargerIdentity, 'clearChargingProfile', { profileId: s.tx.id });
        if (!o.ok) return refusedBy(o);
        if (o.value.status !== 'Accepted') return { result: 'UNKNOWN' };
        activeProfiles.changed(sessionId, s.tx, s.evseOcppId);
        return { result: 'ACCEPTED' };
      });
      return answer(c, 'ACCEPTED');
    });

    methodNotAllowed(app, ['/', '/:session_id'], 'the bridge is the Receiver of ChargingProfiles: GET, PUT or DELETE {session_id}');
    return app;
  },
};

/**
 * The one unit a charger takes, when its configuration says so: 1.6 ChargingScheduleAllowedChargingRateUnit
 * ("Current", "Power" or both), 2.0.1 SmartChargingCtrlr.RateUnit ("A", "W" or both). Unknown: either.
 */
function rateUnitsOf(x: OcpiCommandDeps, identity: string): { only?: 'A' | 'W' } {
  const json = x.domain.getCharger(identity)?.configurationJson;
  if (!json) return {};
  const m = json.match(/"(?:ChargingScheduleAllowedChargingRateUnit|RateUnit)"[^{}]*?"value"\s*:\s*"([^"]*)"/) ?? json.match(/"ChargingScheduleAllowedChargingRateUnit"\s*:\s*"([^"]*)"/);
  if (!m) return {};
  const units = new Set(m[1]!.split(',').map((u) => u.trim()).map((u) => (u === 'Current' ? 'A' : u === 'Power' ? 'W' : u)));
  if (units.size === 1 && (units.has('A') || units.has('W'))) return { only: [...units][0] as 'A' | 'W' };
  return {};
}
