/**
 * RESERVE_NOW (OCPI mod_commands; reference/ocpp.md §5): 1.6 / 2.0.1 ReserveNow. The charger gets the
 * reservation row's integer id, unique across eMSPs (the eMSP's reservation_id is a string of its own); the same
 * (eMSP, reservation_id) again replaces the reservation under the same OCPP id, so the charger replaces it too.
 * Accepted -> ACCEPTED (the row becomes active and expires at expiry_date, see domain/reservations.ts);
 * Occupied -> EVSE_OCCUPIED; Faulted / Unavailable -> EVSE_INOPERATIVE; Rejected -> REJECTED.
 */
import { idTagForUid, ocppIdTokenType } from '../../domain/token-mapping.js';
import { failureOutcome, offline, refused, type CommandHandler, type Outcome } from './handler.js';
import { evseBlocked } from './targets.js';
import { tokenOfCommand } from './token.js';
import { parseDateTime, reserveNow211, reserveNow221 } from './wire.js';

const RESULT: Record<string, Outcome> = {
  Accepted: { result: 'ACCEPTED' },
  Occupied: { result: 'EVSE_OCCUPIED', message: 'the EVSE is in use' },
  Faulted: { result: 'EVSE_INOPERATIVE', message: 'the EVSE is faulted' },
  Unavailable: { result: 'EVSE_INOPERATIVE', message: 'the EVSE is unavailable' },
  Rejected: { result: 'REJECTED', message: 'the charger rejected the reservation' },
};

export const reserveNow: CommandHandler = {
  versions: ['2.2.1', '2.1.1'],
  schema: (version) => (version === '2.2.1' ? reserveNow221 : reserveNow211),
  accept(call, body) {
    const { x, platform, deps } = call;
    const token = tokenOfCommand(call, body.token);
    if (!token) return refused('REJECTED', 'the token belongs to another party: an eMSP may only use its own tokens');
    const expiresAtMs = parseDateTime(body.expiry_date);
    if (!(expiresAtMs > deps.clock.now().getTime())) return refused('REJECTED', `expiry_date ${body.expiry_date} is not in the future`);
    const target = call.targets.find(call.version, body.location_id, body.evse_uid);
    if (!target.ok) return refused('REJECTED', target.message, { unknownLocation: true });
    const identity = target.identity;
    if (!x.chargers.isConnected(identity)) return offline(identity);
    const reservationId = String(body.reservation_id);
    const evseOcppId = body.evse_uid !== undefined ? target.evse?.evse.ocppId : undefined;
    return {
      kind: 'accepted', charger: identity, context: { reservation: reservationId, evse: target.evse?.evse.uid },
      async run() {
        const named = body.evse_uid !== undefined ? target.evse : undefined;
        const known = evseBlocked(named);
        if (known) return { result: known, message: `EVSE ${named!.evse.uid} is ${named!.evse.status}` };
        const atMs = deps.clock.now().getTime();
        const v16 = x.chargers.protocolOf(identity) === 'ocpp1.6';
        const idTag = v16 ? idTagForUid(token.uid) : token.uid;
        const row = deps.store.transaction(() => {
          const tokenRow = x.tokens.rememberToken(platform.id, token, atMs);
          return x.tokens.upsertReservation({
            ocpiReservationId: reservationId, platformId: platform.id, chargerIdentity: identity, evseOcppId: evseOcppId ?? null, idTag, expiresAtMs,
            status: 'requested', responseUrl: body.response_url, locationId: target.view.location.id, evseUid: named?.evse.uid ?? null,
            tokenRowId: tokenRow.id, authorizationReference: body.authorization_reference ?? null,
          }, atMs);
        });
        const outcome = await x.chargers.send(identity, 'reserveNow', {
          reservationId: row.id, evseOcppId, expiresAt: new Date(expiresAtMs), idTag, idTokenType: ocppIdTokenType(token.type, token.uid),
          ...(token.group_id ? { parentIdTag: v16 ? idTagForUid(token.group_id) : token.group_id } : {}),
        });
        const result = outcome.ok ? RESULT[outcome.value.status] ?? { result: 'FAILED' as const, message: `unexpected answer ${outcome.value.status}` } : failureOutcome(outcome);
        deps.store.transaction(() => x.tokens.updateReservation(row.id, { status: result.result === 'ACCEPTED' ? 'active' : 'rejected', updatedAtMs: deps.clock.now().getTime() }));
        return result;
      },
    };
  },
};
