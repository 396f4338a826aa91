/**
 * Correcting a CDR (mod_cdrs §Credit CDRs): a credit CDR with a new id (the original + "-C"), `credit: true`,
 * `credit_reference_id`, the original's data and every total negated; then, with `reissue`, a new normal CDR
 * (the original + "-R<n>") priced again from the transaction as it is now. Both go to the original's eMSP.
 */
import type { Store } from '../../domain/ports.js';
import type { SessionCdrStore } from '../../domain/session-cdr-ports.js';
import { describeSession } from '../../domain/session-facts.js';
import type { EichrechtService } from '../../domain/eichrecht-service.js';
import { cdr221, creditCdr221 } from '../sessions/map.js';

export type CreditOutcome =
  | { ok: true; creditId: string; reissuedId?: string }
  | { ok: false; reason: 'unknown-cdr' | 'is-credit' | 'already-credited' | 'no-transaction'; message: string };

export function creditCdr(deps: { domain: Store; sessions: SessionCdrStore; eichrecht: EichrechtService; cpo: { countryCode: string; partyId: string }; signedDataUrl?: string },
  id: string, reissue: boolean, nowMs: number): CreditOutcome {
  const { domain, sessions } = deps;
  const original = sessions.getCdr(id);
  if (!original) return { ok: false, reason: 'unknown-cdr', message: `no CDR with id ${id}` };
  if (original.credit) return { ok: false, reason: 'is-credit', message: `${id} is itself a credit CDR` };
  const creditId = `${id}-C`.slice(0, 39);
  if (sessions.getCdr(creditId)) return { ok: false, reason: 'already-credited', message: `${id} was already credited by ${creditId}` };
  const deliverAt = original.deliveredAtMs !== null || original.nextAttemptAtMs !== null ? nowMs : null;
  return domain.transaction((): CreditOutcome => {
    const credit = creditCdr221(JSON.parse(original.json), creditId, nowMs);
    sessions.insertCdr({ id: creditId, transactionRowId: original.transactionRowId, platformId: original.platformId, credit: true, json: JSON.stringify(credit), lastUpdatedMs: nowMs }, deliverAt);
    if (!reissue) return { ok: true, creditId };
    const tx = original.transactionRowId !== null ? domain.getTransaction(original.transactionRowId) : undefined;
    if (!tx) return { ok: false, reason: 'no-transaction', message: `${id} has no transaction to price again` };
    let n = 1;
    while (sessions.getCdr(`${id}-R${n}`)) n++;
    const reissuedId = `${id}-R${n}`.slice(0, 39);
    const facts = describeSession(domain, tx, deps.cpo, nowMs, sessions.reservationSessionOfTransaction(tx.id));
    const signed = deps.eichrecht.forCdr(tx.id, deps.signedDataUrl);
    const json = cdr221(facts, deps.cpo, { id: reissuedId, signedData: signed.signedData as Record<string, unknown> | undefined, signedEnergyWh: signed.signedEnergyWh, meterId: signed.meterId, remark: `corrects ${id}` }, nowMs);
    sessions.insertCdr({ id: reissuedId, transactionRowId: tx.id, platformId: original.platformId, credit: false, json: JSON.stringify(json), lastUpdatedMs: nowMs }, deliverAt);
    return { ok: true, creditId, reissuedId };
  });
}
