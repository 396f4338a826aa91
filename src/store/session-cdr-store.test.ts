/**
 * Offset pages of stored Sessions / CDRs (OCPI pagination is offset-based): a page at any offset holds exactly the
 * rows a plain OFFSET would give, also deep in the list where the pager starts from a remembered checkpoint, and
 * also right after a write that reorders the list (the checkpoints are dropped, never used stale).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSessionCdrStore } from './session-cdr-store.js';
import { openStore } from './sqlite-store.js';

let store: ReturnType<typeof openStore>;
let sessions: ReturnType<typeof openSessionCdrStore>;
const N = 4_321;

beforeEach(() => {
  store = openStore({ path: ':memory:' });
  store.sqlite.prepare("INSERT INTO ocpi_platforms (id, status, created_at_ms, updated_at_ms) VALUES (1, 'registered', 0, 0), (2, 'registered', 0, 0)").run();
  sessions = openSessionCdrStore(store.sqlite);
  store.transaction(() => {
    for (let i = 0; i < N; i++) {
      // Several sessions share a last_updated: the id breaks the tie.
      sessions.upsertSession({ id: `S${String(i).padStart(5, '0')}`, transactionRowId: null, platformId: 1 + (i % 7 === 0 ? 1 : 0), status: 'ACTIVE', json: `{"n":${i}}`, lastUpdatedMs: 1_000 + Math.floor(i / 3) } as never);
    }
  });
});
afterEach(() => store.close());

const plain = (platform: number, offset: number, limit: number) =>
  (store.sqlite.prepare('SELECT data_json FROM ocpi_sessions WHERE platform_id = ? ORDER BY last_updated_ms, id LIMIT ? OFFSET ?').pluck().all(platform, limit, offset) as string[]);

describe('offset pages', () => {
  it('equal the plain OFFSET rows at every kind of offset, both platforms, with and without date filters', () => {
    for (const offset of [0, 1, 999, 1000, 1001, 1999, 2000, 2001, 2999, 3000, 3333, 3600, 3700, 3800, N - 1, N, N + 50]) {
      for (const platform of [1, 2]) {
        expect(sessions.sessionPage(platform, { offset, limit: 100 } as never).items).toEqual(plain(platform, offset, 100));
      }
    }
    const filtered = sessions.sessionPage(1, { offset: 2500, limit: 50, fromMs: 1_100, toMs: 2_400 } as never).items;
    const expected = store.sqlite.prepare('SELECT data_json FROM ocpi_sessions WHERE platform_id = 1 AND last_updated_ms >= 1100 AND last_updated_ms < 2400 ORDER BY last_updated_ms, id LIMIT 50 OFFSET 2500').pluck().all();
    expect(filtered).toEqual(expected);
    expect(filtered.length).toBeGreaterThan(0);
  });

  it('after a write moves rows, a deep page is computed from the new order', () => {
    expect(sessions.sessionPage(1, { offset: 3000, limit: 10 } as never).items).toEqual(plain(1, 3000, 10));
    // Ten early sessions are updated now: they move to the end of the list.
    store.transaction(() => {
      for (let i = 1; i <= 10; i++) sessions.upsertSession({ id: `S${String(i).padStart(5, '0')}`, transactionRowId: null, platformId: 1, status: 'COMPLETED', json: `{"n":${i},"moved":true}`, lastUpdatedMs: 9_999_999 } as never);
    });
    expect(sessions.sessionPage(1, { offset: 3000, limit: 10 } as never).items).toEqual(plain(1, 3000, 10));
    expect(sessions.sessionPage(1, { offset: 3000, limit: 10 } as never).items[0]).not.toEqual(plain(1, 2990, 1)[0]);
    const total = store.sqlite.prepare('SELECT COUNT(*) FROM ocpi_sessions WHERE platform_id = 1').pluck().get() as number;
    const tail = sessions.sessionPage(1, { offset: total - 10, limit: 100 } as never).items;
    expect(tail).toEqual(plain(1, total - 10, 100));
    expect(tail.every((j) => j.includes('moved'))).toBe(true);
  });
});
