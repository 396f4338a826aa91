/**
 * UNLOCK_CONNECTOR (OCPI mod_commands, for operators and helpdesks; reference/ocpp.md §5): 1.6
 * UnlockConnector(connectorId) / 2.0.1 UnlockConnector(evseId, connectorId). Unlocked -> ACCEPTED, UnlockFailed
 * -> FAILED, NotSupported -> NOT_SUPPORTED, UnknownConnector and OngoingAuthorizedTransaction -> REJECTED.
 */
import { failureOutcome, offline, refused, type CommandHandler, type Outcome } from './handler.js';
import { unlockConnector as unlockSchema } from './wire.js';

const RESULT: Record<string, Outcome> = {
  Unlocked: { result: 'ACCEPTED' },
  UnlockFailed: { result: 'FAILED', message: 'the charger could not unlock the connector' },
  NotSupported: { result: 'NOT_SUPPORTED', message: 'the charger cannot unlock this connector' },
  UnknownConnector: { result: 'REJECTED', message: 'the charger does not know this connector' },
  OngoingAuthorizedTransaction: { result: 'REJECTED', message: 'a transaction is running on this connector: stop it first' },
};

export const unlockConnector: CommandHandler = {
  versions: ['2.2.1', '2.1.1'],
  schema: () => unlockSchema,
  accept(call, body) {
    const target = call.targets.find(call.version, body.location_id, body.evse_uid, body.connector_id);
    if (!target.ok) return refused('REJECTED', target.message, { unknownLocation: true });
    const identity = target.identity;
    if (!call.x.chargers.isConnected(identity)) return offline(identity);
    const evseOcppId = target.evse!.evse.ocppId;
    const connectorOcppId = target.connector?.ocppConnectorId;
    return {
      kind: 'accepted', charger: identity, context: { evse: target.evse!.evse.uid, connector: body.connector_id },
      async run() {
        const outcome = await call.x.chargers.send(identity, 'unlockConnector', { evseOcppId, ...(connectorOcppId !== undefined ? { connectorOcppId } : {}) });
        if (!outcome.ok) return failureOutcome(outcome);
        return RESULT[outcome.value.status] ?? { result: 'FAILED', message: `unexpected answer ${outcome.value.status}` };
      },
    };
  },
};
