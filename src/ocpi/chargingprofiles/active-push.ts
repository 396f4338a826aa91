/**
 * The CPO side of the ChargingProfiles Sender interface (OCPI 2.2.1 mod_charging_profiles §Sender Interface,
 * reference/ocpi-2.2.1.md §3.7): when the active profile of a session changes, the bridge PUTs the new
 * ActiveChargingProfile to `{their chargingprofiles}/{session_id}`, but only to parties that once set a profile on
 * that session successfully. It covers an hour (within the spec's 5-60 minutes), read from the charger's
 * composite schedule; after a clear, that is the EVSE's own limit, as the spec asks ("show the maximum capacity").
 * Best effort: a failure is logged with the party, the charger keeps charging.
 */
import type { TransactionRecord } from '../../domain/records.js';
import type { OcpiDeps } from '../context.js';
import { callPlatform, partyOf, senderUrl } from '../tokens/platform-call.js';
import { commandDepsOf } from '../tokens/routes.js';
import { toActiveChargingProfile } from './wire.js';

const WINDOW_S = 3600;
const MAX_SESSIONS = 10_000;

export function createActiveProfilePush(deps: OcpiDeps) {
  /** session id -> the platforms that set a profile on it (kept for running sessions; bounded). */
  const setters = new Map<string, Set<number>>();

  return {
    setBy(sessionId: string, platformId: number): void {
      if (!setters.has(sessionId) && setters.size >= MAX_SESSIONS) setters.delete(setters.keys().next().value!);
      setters.set(sessionId, (setters.get(sessionId) ?? new Set()).add(platformId));
    },

    /** The profile on this session changed: tell the parties that set one (after the change's own result). */
    changed(sessionId: string, tx: TransactionRecord, evseOcppId: number): void {
      const platforms = [...(setters.get(sessionId) ?? [])];
      if (!platforms.length) return;
      setImmediate(() => void push(sessionId, tx, evseOcppId, platforms));
    },
  };

  async function push(sessionId: string, tx: TransactionRecord, evseOcppId: number, platformIds: number[]): Promise<void> {
    const x = commandDepsOf(deps);
    const o = await x.chargers.send(tx.chargerIdentity, 'getCompositeSchedule', { evseOcppId, durationS: WINDOW_S });
    if (!o.ok || o.value.status !== 'Accepted' || !o.value.schedule) {
      deps.log.info({ charger: tx.chargerIdentity, session: sessionId, why: o.ok ? o.value.status : o.message }, 'active charging profile unknown: not pushed');
      return;
    }
    const body = toActiveChargingProfile(o.value.schedule, o.value.scheduleStart ?? o.value.schedule.startSchedule ?? deps.clock.now());
    for (const id of platformIds) {
      const platform = deps.store.getPlatform(id);
      const base = senderUrl(platform, 'chargingprofiles');
      if (!platform || !base) continue;
      try {
        await callPlatform(deps, platform, { method: 'PUT', url: `${base}/${encodeURIComponent(sessionId)}`, body, timeoutMs: deps.config.ocpi.request_timeout_s * 1000 });
        deps.log.info({ party: partyOf(platform), charger: tx.chargerIdentity, session: sessionId }, 'active charging profile pushed');
      } catch (err) {
        deps.log.warn({ party: partyOf(platform), charger: tx.chargerIdentity, session: sessionId, err: (err as Error).message }, 'active charging profile push failed');
      }
    }
  }
}
