/**
 * START_SESSION (OCPI mod_commands; reference/ocpp.md §5): 1.6 RemoteStartTransaction / 2.0.1
 * RequestStartTransaction with the command's token (1.6: its alias when the uid is longer than 20). The token
 * is not validated (the eMSP already did) but must be the eMSP's own. Before sending, the remote start is
 * registered (domain/commands.ts) so the charger's Authorize and the transaction that follows are the eMSP's:
 * auth_method COMMAND with its authorization_reference. ACCEPTED means the charger will try, not that it charges.
 */
import { ocppIdTokenType, idTagForUid } from '../../domain/token-mapping.js';
import { failureOutcome, offline, refused, type CommandHandler } from './handler.js';
import { evseBlocked } from './targets.js';
import { startSession211, startSession221 } from './wire.js';
import { tokenOfCommand } from './token.js';

export const startSession: CommandHandler = {
  versions: ['2.2.1', '2.1.1'],
  schema: (version) => (version === '2.2.1' ? startSession221 : startSession211),
  accept(call, body) {
    const { x, platform, deps } = call;
    const token = tokenOfCommand(call, body.token);
    if (!token) return refused('REJECTED', 'the token belongs to another party: an eMSP may only use its own tokens');
    const target = call.targets.find(call.version, body.location_id, body.evse_uid, body.connector_id);
    if (!target.ok) return refused('REJECTED', target.message, { unknownLocation: true });
    const identity = target.identity;
    if (!x.chargers.isConnected(identity)) return offline(identity);
    const evseOcppId = target.evse?.evse.ocppId;
    return {
      kind: 'accepted', charger: identity, context: { evse: target.evse?.evse.uid },
      async run() {
        const known = evseBlocked(target.evse) ?? (target.evse && x.domain.findActiveTransactionOnEvse(target.evse.evse.id) ? 'EVSE_OCCUPIED' : undefined);
        if (known) return { result: known, message: `EVSE ${target.evse!.evse.uid} is ${target.evse!.evse.status}` };
        const row = deps.store.transaction(() => x.tokens.rememberToken(platform.id, token, deps.clock.now().getTime()));
        const idTag = x.chargers.protocolOf(identity) === 'ocpp1.6' ? idTagForUid(token.uid) : token.uid;
        const pending = x.remoteStarts.add({
          identity, idTag, evseOcppId, remoteStartId: x.remoteStarts.newRemoteStartId(), tokenRowId: row.id, platformId: platform.id,
          authorizationReference: body.authorization_reference,
        });
        const outcome = await x.chargers.send(identity, 'remoteStart', { evseOcppId, idTag, idTokenType: ocppIdTokenType(token.type, token.uid), remoteStartId: pending.remoteStartId });
        if (!outcome.ok) {
          x.remoteStarts.cancel(pending);
          return failureOutcome(outcome);
        }
        if (outcome.value.status === 'Accepted') return { result: 'ACCEPTED' };
        x.remoteStarts.cancel(pending);
        // Rejected: the last status tells why, when it can.
        const evse = evseOcppId !== undefined ? x.domain.getEvse(identity, evseOcppId) : undefined;
        const why = evse && evseBlocked({ ...target.evse!, evse });
        return { result: why ?? 'REJECTED', message: `${identity} rejected the remote start` };
      },
    };
  },
};
