/**
 * Eichrecht in the running bridge: every signed reading, once committed exactly as received, is decoded,
 * parsed and verified with the meter's public key, outside the OCPP answer path; at the end of a transaction
 * its signed readings are checked together (same meter, rising, energy, pagination, time window). Every
 * failure becomes a fault naming the charger, the transaction and the reason (reference/eichrecht-ocmf.md §4).
 * Key order: the operator's key for the EVSE, then for the charger (site config or what the charger reported
 * in its configuration / device model), then the key that came with the reading (2.0.1 `publicKey`).
 */
import type { Log } from '../log.js';
import type { DomainEvents } from './events.js';
import type { Clock, Store } from './ports.js';
import type { SignedReadingRecord } from './records.js';
import { checkTransaction } from './eichrecht/check-transaction.js';
import { decodeSignedMeterValue, decodeSignedValue } from './eichrecht/decode-signed-value.js';
import { parseOcmf } from './eichrecht/parse-ocmf.js';
import { verifyOcmf } from './eichrecht/verify-ocmf.js';
import { buildOcpiSignedData, signedEnergyWh } from './eichrecht/signed-data.js';
import type { OcpiSignedData } from './eichrecht/signed-data.js';

export type EichrechtService = ReturnType<typeof createEichrechtService>;

export interface EichrechtOutcome {
  id: number;
  verification: string;
  reason: string;
  keySource?: 'evse' | 'charger' | 'reading';
}

export function createEichrechtService(deps: { store: Store; clock: Clock; events: DomainEvents; log: Log; onResult?: (verification: string) => void }) {
  const { store, clock, events, log } = deps;

  function keyFor(reading: SignedReadingRecord): { key?: string; source?: EichrechtOutcome['keySource'] } {
    const evse = reading.evseOcppId !== null ? store.getEvse(reading.chargerIdentity, reading.evseOcppId) : undefined;
    if (evse?.meterPublicKey) return { key: evse.meterPublicKey, source: 'evse' };
    const charger = store.getCharger(reading.chargerIdentity);
    if (charger?.meterPublicKey) return { key: charger.meterPublicKey, source: 'charger' };
    if (reading.publicKey) return { key: reading.publicKey, source: 'reading' };
    return {};
  }

  function fault(reading: Pick<SignedReadingRecord, 'chargerIdentity' | 'evseOcppId' | 'transactionRowId'>, code: string, message: string, details: unknown): void {
    const at = clock.now();
    const faultId = store.raiseFault({
      chargerIdentity: reading.chargerIdentity, evseOcppId: reading.evseOcppId ?? undefined, transactionRowId: reading.transactionRowId ?? undefined,
      source: 'eichrecht', code, message: message.slice(0, 500), details, raisedAtMs: at.getTime(),
    });
    events.emit('faultRaised', { identity: reading.chargerIdentity, faultId, code, source: 'eichrecht', at });
  }

  function verifyOne(reading: SignedReadingRecord): EichrechtOutcome {
    const decoded = reading.encodingMethod
      ? decodeSignedMeterValue({ signedMeterData: reading.raw, signingMethod: reading.signingMethod ?? undefined, encodingMethod: reading.encodingMethod, publicKey: reading.publicKey ?? undefined })
      : decodeSignedValue(reading.raw);
    if (!decoded.ok) return { id: reading.id, verification: 'undecodable', reason: `${decoded.reason}: ${decoded.message}` };
    const parsed = parseOcmf(decoded.ocmf);
    if (!parsed.ok) return { id: reading.id, verification: 'malformed', reason: `${parsed.reason}: ${parsed.message}` };
    const { key, source } = keyFor({ ...reading, publicKey: reading.publicKey ?? decoded.publicKey ?? null });
    if (!key) return { id: reading.id, verification: 'no-public-key', reason: 'unverified: no public key for this meter' };
    const result = verifyOcmf(parsed, key);
    return { id: reading.id, verification: result.status, reason: result.reason, keySource: source };
  }

  return {
    /** Verifies newly stored signed readings; never throws into the caller (a bad blob is a finding, not an error). */
    verifyReadings(ids: number[]): EichrechtOutcome[] {
      const outcomes: EichrechtOutcome[] = [];
      for (const reading of store.listSignedReadings({ ids })) {
        let outcome: EichrechtOutcome;
        try {
          outcome = verifyOne(reading);
        } catch (err) {
          outcome = { id: reading.id, verification: 'malformed', reason: `verification failed: ${(err as Error).message}` };
        }
        store.setSignedVerification(reading.id, outcome.verification, outcome.keySource ? `${outcome.reason} (key: ${outcome.keySource})` : outcome.reason);
        deps.onResult?.(outcome.verification);
        if (outcome.verification !== 'verified') {
          fault(reading, `Eichrecht:${outcome.verification}`, `signed meter value ${reading.id} (${reading.context}): ${outcome.reason}`, { signedReadingId: reading.id, context: reading.context });
          log.warn({ charger: reading.chargerIdentity, transaction: reading.transactionRowId, signedReading: reading.id, result: outcome.verification, reason: outcome.reason }, 'signed meter value did not verify');
        }
        outcomes.push(outcome);
      }
      return outcomes;
    },

    /**
     * What the CDR carries (reference §3): `signed_data` built from the stored bytes (a value repeated in
     * StopTransaction transactionData counted once), the signed energy that is billed, the meter serial.
     * A failure leaves signed_data out and is a fault; nothing is ever truncated.
     */
    forCdr(transactionRowId: number, url?: string): { signedData?: OcpiSignedData; signedEnergyWh?: number; meterId?: string } {
      const seen = new Set<string>();
      const readings = store.listSignedReadings({ transactionRowId }).filter((r) => !seen.has(r.raw) && seen.add(r.raw));
      if (readings.length === 0) return {};
      const ordered = [...readings.filter((r) => r.context === 'begin'), ...readings.filter((r) => r.context === 'intermediate'), ...readings.filter((r) => r.context === 'end')];
      const { key } = keyFor(ordered[ordered.length - 1]!);
      const built = buildOcpiSignedData(ordered.map((r) => ({ raw: r.raw, context: r.context as 'begin' | 'intermediate' | 'end' })), { publicKey: key, url });
      const energy = signedEnergyWh(ordered.map((r) => r.raw));
      const parsed = decodeSignedValue(ordered[0]!.raw);
      const meter = parsed.ok ? parseOcmf(parsed.ocmf) : undefined;
      if (!built.ok) fault(ordered[0]!, 'Eichrecht:signed-data', `transaction ${transactionRowId}: signed_data left out of the CDR: ${built.message}`, built);
      return {
        signedData: built.ok ? built.signedData : undefined,
        signedEnergyWh: energy.ok ? Number(energy.energyWh) : undefined,
        meterId: meter?.ok ? meter.payload.MS : undefined,
      };
    },

    /** The checks across a finished transaction's signed readings; each finding becomes a fault. */
    checkTransaction(transactionRowId: number): ReturnType<typeof checkTransaction> {
      const tx = store.getTransaction(transactionRowId);
      const readings = store.listSignedReadings({ transactionRowId });
      if (!tx || readings.length === 0 || tx.startedAtMs === null) return [];
      const inputs = readings.map((r) => {
        const decoded = r.encodingMethod ? decodeSignedMeterValue({ signedMeterData: r.raw, signingMethod: r.signingMethod ?? undefined, encodingMethod: r.encodingMethod, publicKey: r.publicKey ?? undefined }) : decodeSignedValue(r.raw);
        return { raw: decoded.ok ? decoded.ocmf : r.raw, context: r.context as 'begin' | 'intermediate' | 'end', receivedAt: new Date(r.receivedAtMs) };
      });
      const energyWh = tx.meterStopWh !== null && tx.meterStartWh !== null ? tx.meterStopWh - tx.meterStartWh : undefined;
      const { key } = keyFor(readings[readings.length - 1]!);
      const findings = checkTransaction(inputs, {
        startedAt: new Date(tx.startedAtMs), endedAt: tx.endedAtMs !== null ? new Date(tx.endedAtMs) : undefined, energyWh, idTag: tx.idTag ?? undefined,
      }, { publicKey: key });
      for (const f of findings.filter((x) => x.severity === 'error')) {
        fault({ chargerIdentity: tx.chargerIdentity, evseOcppId: readings[0]!.evseOcppId, transactionRowId }, `Eichrecht:${f.code}`, `transaction ${tx.ocppTransactionId}: ${f.message}`, f);
      }
      if (findings.length) log.warn({ charger: tx.chargerIdentity, transaction: tx.ocppTransactionId, findings: findings.map((f) => f.code) }, 'signed transaction checks found problems');
      return findings;
    },
  };
}
