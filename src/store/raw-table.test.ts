import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from './open.js';
import { rawTable } from './raw-table.js';
import { chargers, transactions } from './schema.js';

// The raw statements must give and take exactly what the drizzle builder does (same row shape, same key order,
// booleans decoded), since the Store hands these rows to the domain unchanged.
let opened: ReturnType<typeof openDatabase>;
beforeEach(() => {
  opened = openDatabase({ path: ':memory:', synchronous: 'NORMAL' });
  opened.db.insert(chargers).values({ identity: 'CP1', locationId: null, configured: false, createdAtMs: 1, updatedAtMs: 1 }).run();
});
afterEach(() => opened.sqlite.close());

const baseTx = {
  chargerIdentity: 'CP1', evseRowId: null, connectorRowId: null, ocppTransactionId: 'T-1', protocol: 'ocpp2.0.1', idTag: null, idTokenType: null,
  authStatus: null, authMethod: null, authorizationReference: null, tokenRowId: null, platformId: null, status: 'active', startedAtMs: 5,
  endedAtMs: null, meterStartWh: null, lastMeterWh: null, reservationId: null, remoteStartId: null, orphan: true, offline: false,
  snapshotJson: null, createdAtMs: 5, updatedAtMs: 5,
};

describe('rawTable', () => {
  it('insertReturning and select give the builder\'s row, key order and booleans included', () => {
    const raw = rawTable<Record<string, unknown>>(opened.sqlite, transactions);
    const inserted = raw.insertReturning(baseTx);
    const viaBuilder = opened.db.select().from(transactions).where(eq(transactions.id, inserted.id as number)).get();
    expect(JSON.stringify(inserted)).toBe(JSON.stringify(viaBuilder));
    expect(inserted.orphan).toBe(true);
    expect(inserted.offline).toBe(false);
    const selected = raw.select('WHERE charger_identity = ? AND ocpp_transaction_id = ?').get('CP1', 'T-1');
    expect(JSON.stringify(selected)).toBe(JSON.stringify(viaBuilder));
    expect(raw.select('WHERE id = ?').get(999)).toBeUndefined();
  });

  it('fields left out of an insert get the column default like the builder', () => {
    const raw = rawTable<Record<string, unknown>>(opened.sqlite, transactions);
    const { orphan: _o, offline: _f, ...rest } = baseTx;
    const a = raw.insertReturning({ ...rest, ocppTransactionId: 'A' });
    const b = opened.db.insert(transactions).values({ ...rest, ocppTransactionId: 'B' }).returning().get();
    expect({ ...a, id: 0, ocppTransactionId: '' }).toEqual({ ...b, id: 0, ocppTransactionId: '' });
    expect(a.orphan).toBe(false);
  });

  it('update sets the defined column fields only, encodes booleans and skips fields that are not columns', () => {
    const raw = rawTable<Record<string, unknown>>(opened.sqlite, transactions);
    const a = raw.insertReturning({ ...baseTx, ocppTransactionId: 'A' });
    const b = raw.insertReturning({ ...baseTx, ocppTransactionId: 'B' });
    const patch = { status: 'ended', orphan: false, offline: true, meterStopWh: 12.5, lastPowerW: undefined, stopReason: null, notAColumn: 'x', updatedAtMs: 9 };
    expect(raw.update('id', a.id, patch)).toBe(true);
    opened.db.update(transactions).set(patch as Partial<typeof transactions.$inferInsert>).where(eq(transactions.id, b.id as number)).run();
    const [ra, rb] = [a.id, b.id].map((id) => raw.select('WHERE id = ?').get(id)!);
    expect({ ...ra, id: 0, ocppTransactionId: '' }).toEqual({ ...rb, id: 0, ocppTransactionId: '' });
    expect(ra!.offline).toBe(true);
    expect(raw.update('id', a.id, { lastPowerW: undefined, notAColumn: 1 })).toBe(false); // nothing to set: the caller decides
  });
});
