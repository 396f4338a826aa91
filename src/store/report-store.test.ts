/**
 * The page and bound rules of charger reports (domain/charger-reports.ts) on the real migrated database
 * (:memory:): pages of a request numbered and replaced as real stations resend them, and the table bounded per
 * charger and kind by reports and by rows, within the transaction that stores the page.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KEEP_REPORTS_PER_KIND, KEEP_ROWS_PER_KIND, latestChargerReports, putChargerReport } from '../domain/charger-reports.js';
import { openStore } from './sqlite-store.js';

let store: ReturnType<typeof openStore>;
beforeEach(() => {
  store = openStore({ path: ':memory:' });
  store.createUnconfiguredCharger('CS-1', null, 0);
  store.createUnconfiguredCharger('CS-2', null, 0);
});
afterEach(() => store.close());

const put = (identity: string, m: Parameters<typeof putChargerReport>[2], atMs = 1) => store.transaction(() => putChargerReport(store, identity, m, atMs));
const pages = (identity: string, kind: 'display-messages' | 'monitoring' | 'charging-limit' | 'charging-profiles', requestId?: number) =>
  store.listChargerReports(identity, kind, { ...(requestId !== undefined ? { requestId } : {}), limit: 100_000 }).reverse();

describe('pages of one request', () => {
  it('without seqNo: numbered in arrival order; the same content again replaces the last page; a page after a finished report starts a new one', () => {
    put('CS-1', { kind: 'charging-profiles', requestId: 5, tbc: true, evseOcppId: 1, data: { evseId: 1, p: 'a' } });
    put('CS-1', { kind: 'charging-profiles', requestId: 5, tbc: true, evseOcppId: 2, data: { evseId: 2, p: 'b' } });
    put('CS-1', { kind: 'charging-profiles', requestId: 5, tbc: true, evseOcppId: 2, data: { evseId: 2, p: 'b' } });
    put('CS-1', { kind: 'charging-profiles', requestId: 5, evseOcppId: 3, data: { evseId: 3, p: 'c' } });
    expect(pages('CS-1', 'charging-profiles', 5).map((r) => [r.seqNo, r.tbc, r.evseOcppId])).toEqual([[0, true, 1], [1, true, 2], [2, false, 3]]);
    put('CS-1', { kind: 'charging-profiles', requestId: 5, data: { p: 'new' } });
    expect(pages('CS-1', 'charging-profiles', 5).map((r) => [r.seqNo, JSON.parse(r.dataJson)])).toEqual([[0, { p: 'new' }]]);
  });

  it('with seqNo: a repeated seqNo replaces its page, seqNo 0 restarts the request', () => {
    put('CS-1', { kind: 'monitoring', requestId: 9, seqNo: 0, tbc: true, data: 0 });
    put('CS-1', { kind: 'monitoring', requestId: 9, seqNo: 1, tbc: true, data: 1 });
    put('CS-1', { kind: 'monitoring', requestId: 9, seqNo: 1, tbc: true, data: 'resent' });
    expect(pages('CS-1', 'monitoring', 9).map((r) => [r.seqNo, JSON.parse(r.dataJson)])).toEqual([[0, 0], [1, 'resent']]);
    put('CS-1', { kind: 'monitoring', requestId: 9, seqNo: 0, data: 'again' });
    expect(pages('CS-1', 'monitoring', 9).map((r) => [r.seqNo, r.tbc, JSON.parse(r.dataJson)])).toEqual([[0, false, 'again']]);
  });
});

describe('bounds', () => {
  it(`keeps the newest ${KEEP_REPORTS_PER_KIND} reports per charger and kind (messages without a request count one each)`, () => {
    for (let i = 0; i < KEEP_REPORTS_PER_KIND + 3; i++) {
      put('CS-1', { kind: 'display-messages', requestId: i, tbc: true, data: `${i}a` });
      put('CS-1', { kind: 'display-messages', requestId: i, data: `${i}b` });
      put('CS-1', { kind: 'charging-limit', evseOcppId: 1, data: i });
    }
    put('CS-2', { kind: 'display-messages', requestId: 0, data: 'other charger' });
    const kept = pages('CS-1', 'display-messages');
    expect(kept.length).toBe(2 * KEEP_REPORTS_PER_KIND);
    expect(kept[0]!.requestId).toBe(3);
    expect(pages('CS-1', 'charging-limit').map((r) => JSON.parse(r.dataJson))).toEqual(Array.from({ length: KEEP_REPORTS_PER_KIND }, (_, i) => i + 3));
    expect(pages('CS-2', 'display-messages').length).toBe(1);
  });

  it(`keeps at most ${KEEP_ROWS_PER_KIND} rows per charger and kind, even of one endless report (its newest pages)`, () => {
    for (let seqNo = 0; seqNo < KEEP_ROWS_PER_KIND + 5; seqNo++) put('CS-1', { kind: 'monitoring', requestId: 1, seqNo, tbc: true, data: seqNo });
    const kept = pages('CS-1', 'monitoring', 1);
    expect(kept.length).toBe(KEEP_ROWS_PER_KIND);
    expect(kept[0]!.seqNo).toBe(5);
    expect(latestChargerReports(store, 'CS-1', 3)).toEqual([{ kind: 'monitoring', stored: 1, pages: pages('CS-1', 'monitoring', 1).slice(-3) }]);
  });

  it('a page for a charger the database does not know is refused (foreign key), nothing half-written', () => {
    expect(() => put('CS-UNKNOWN', { kind: 'monitoring', requestId: 1, seqNo: 0, data: 1 })).toThrow();
    expect(store.summarizeChargerReports('CS-UNKNOWN')).toEqual([]);
  });
});
