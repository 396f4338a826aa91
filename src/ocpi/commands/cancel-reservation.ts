/**
 * CANCEL_RESERVATION (OCPI 2.2.1 mod_commands; 2.1.1 has none): 1.6 / 2.0.1 CancelReservation with the
 * OCPP id the bridge gave the reservation. A reservation the eMSP does not have (or that already ended) is
 * answered ACCEPTED with the result UNKNOWN_RESERVATION at once, so the eMSP learns exactly why; the charger's
 * Rejected is UNKNOWN_RESERVATION too (reference/ocpp.md §5).
 */
import { failureOutcome, offline, type CommandHandler } from './handler.js';
import { cancelReservation as cancelSchema } from './wire.js';

export const cancelReservation: CommandHandler = {
  versions: ['2.2.1'],
  schema: () => cancelSchema,
  accept(call, body) {
    const { x, platform, deps } = call;
    const r = x.tokens.getReservation(platform.id, body.reservation_id);
    if (!r || (r.status !== 'active' && r.status !== 'requested')) {
      return {
        kind: 'accepted', charger: r?.chargerIdentity ?? '-', context: { reservation: body.reservation_id },
        run: async () => ({ result: 'UNKNOWN_RESERVATION', message: r ? `reservation ${body.reservation_id} is ${r.status}` : `unknown reservation ${body.reservation_id}` }),
      };
    }
    const identity = r.chargerIdentity;
    if (!x.chargers.isConnected(identity)) return offline(identity);
    return {
      kind: 'accepted', charger: identity, context: { reservation: body.reservation_id, ocppReservationId: r.id },
      async run() {
        const outcome = await x.chargers.send(identity, 'cancelReservation', { reservationId: r.id });
        if (!outcome.ok) return failureOutcome(outcome);
        if (outcome.value.status !== 'Accepted') return { result: 'UNKNOWN_RESERVATION', message: `${identity} does not hold reservation ${r.id}` };
        deps.store.transaction(() => x.tokens.updateReservation(r.id, { status: 'cancelled', updatedAtMs: deps.clock.now().getTime() }));
        return { result: 'ACCEPTED' };
      },
    };
  },
};
