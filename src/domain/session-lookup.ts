/**
 * "OCPI Session id -> transaction", for STOP_SESSION and ChargingProfiles. Assumption where the two features
 * meet: the Sessions module stores each session in `ocpi_sessions` (id -> transaction_row_id) once it has
 * described it, and its id is `sessionIdOf(transaction)` (domain/session-facts.ts). A row wins; without one
 * (a transaction that started a moment ago and is not described yet) the running transactions are searched by
 * that same id, so a command that follows a session push at once still finds its transaction.
 */
import type { TransactionStore } from './ports.js';
import type { TransactionRecord } from './records.js';
import type { SessionCdrStore } from './session-cdr-ports.js';
import { sessionIdOf } from './session-facts.js';

export function transactionOfSession(
  deps: { store: Pick<TransactionStore, 'getTransaction' | 'listActiveTransactions'>; sessions?: Pick<SessionCdrStore, 'getSession'> },
  sessionId: string,
): TransactionRecord | undefined {
  const row = deps.sessions?.getSession(sessionId);
  // A reservation's session no transaction has used yet has nothing to stop or to limit.
  if (row) return row.transactionRowId !== null ? deps.store.getTransaction(row.transactionRowId) : undefined;
  return deps.store.listActiveTransactions().find((tx) => sessionIdOf(tx) === sessionId);
}
