import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from './sqlite-store.js';

// The hot transaction queries of the Store (raw statements, see raw-table.ts) against the same data as the rules they replace.
let store: ReturnType<typeof openStore>;
beforeEach(() => {
  store = openStore({ path: ':memory:', synchronous: 'NORMAL' });
});
afterEach(() => store.close());

const tx = (identity: string, evseRowId: number | null, ocppTransactionId: string, status: 'active' | 'ended' = 'active') => store.insertTransaction({
  chargerIdentity: identity, evseRowId, connectorRowId: null, ocppTransactionId, protocol: 'ocpp2.0.1', idTag: null, idTokenType: null,
  authStatus: null, authMethod: null, authorizationReference: null, tokenRowId: null, platformId: null, status, startedAtMs: 1,
  meterStartWh: null, orphan: false, offline: false, snapshotJson: null, atMs: 1,
});

describe('findActiveTransactionOnEvse', () => {
  it('finds the newest active transaction on that EVSE only, not on the same EVSE number of another charger', () => {
    const [a, b] = store.transaction(() => ['CP-A', 'CP-B'].map((id) => {
      store.createUnconfiguredCharger(id, null, 1);
      return store.createUnconfiguredEvse(id, 1, null, 1);
    }));
    const { first, second, other } = store.transaction(() => {
      const first = tx('CP-A', a!.id, 'A-1');
      const second = tx('CP-A', a!.id, 'A-2');
      tx('CP-A', a!.id, 'A-3', 'ended');
      tx('CP-A', null, 'A-4');
      const other = tx('CP-B', b!.id, 'B-1');
      return { first, second, other };
    });
    expect(store.findActiveTransactionOnEvse(a!.id)?.id).toBe(second.id);
    expect(store.findActiveTransactionOnEvse(b!.id)?.id).toBe(other.id);
    store.transaction(() => store.updateTransaction(second.id, { status: 'ended' }));
    expect(store.findActiveTransactionOnEvse(a!.id)?.id).toBe(first.id);
    expect(store.findActiveTransactionOnEvse(9999)).toBeUndefined();
    expect(store.listActiveTransactions('CP-A').map((t) => t.ocppTransactionId)).toEqual(['A-1', 'A-4']);
    expect(store.listActiveTransactions().map((t) => t.ocppTransactionId)).toEqual(['A-1', 'A-4', 'B-1']);
  });
});
