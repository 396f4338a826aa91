/**
 * STOP_SESSION (OCPI mod_commands; reference/ocpp.md §5): 1.6 RemoteStopTransaction / 2.0.1
 * RequestStopTransaction on the session's transaction. An unknown session is UNKNOWN_SESSION; a session that
 * another eMSP started is REJECTED ("an eMSP may only stop its own sessions"), never forwarded.
 */
import { transactionOfSession } from '../../domain/session-lookup.js';
import { failureOutcome, offline, refused, type CommandHandler } from './handler.js';
import { stopSession as stopSessionSchema } from './wire.js';

export const stopSession: CommandHandler = {
  versions: ['2.2.1', '2.1.1'],
  schema: () => stopSessionSchema,
  accept(call, body) {
    const { x, platform } = call;
    const tx = transactionOfSession({ store: x.domain, sessions: x.sessions }, body.session_id);
    if (!tx) return refused('UNKNOWN_SESSION', `unknown session ${body.session_id}`);
    if (tx.platformId !== platform.id) return refused('REJECTED', `session ${body.session_id} was not started by your tokens`, { charger: tx.chargerIdentity });
    if (tx.status !== 'active') return refused('REJECTED', `session ${body.session_id} has already ended`, { charger: tx.chargerIdentity });
    const identity = tx.chargerIdentity;
    if (!x.chargers.isConnected(identity)) return offline(identity);
    const ocppTransactionId = tx.ocppTransactionId;
    if (ocppTransactionId === null) return refused('REJECTED', `the charger has not named session ${body.session_id}'s transaction yet`, { charger: identity });
    return {
      kind: 'accepted', charger: identity, context: { session: body.session_id, transaction: ocppTransactionId },
      async run() {
        const outcome = await x.chargers.send(identity, 'remoteStop', { ocppTransactionId });
        if (!outcome.ok) return failureOutcome(outcome);
        return outcome.value.status === 'Accepted' ? { result: 'ACCEPTED' } : { result: 'REJECTED', message: `${identity} rejected the remote stop` };
      },
    };
  },
};
