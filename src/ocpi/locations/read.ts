/**
 * Reading locations for the Sender interface and for pushes. Pages: without date filters the id index
 * decides the page; with them the cheap per-charger stamps give each location's effective last_updated
 * (which depends on the clock: an offline charger turns UNKNOWN when its grace period runs out). Stable
 * order: location id (config ids never change, OCPI §Pagination "stable order").
 * Serialized Locations are cached as JSON text per version and location until the store's read-model
 * version moves (triggers on every table they are built from) or an offline charger's grace period ends —
 * a page is then a join of cached strings, not a rebuild (bench/ocpi-pull.mjs).
 */
import type { LocationView, OcpiStore, OcpiVersionNumber, Page } from '../../domain/ocpi-ports.js';
import type { Clock } from '../../domain/ports.js';
import type { OcpiDeps, PageParams } from '../context.js';
import { location211, location221, stampUpdatedMs, type MapContext } from './map.js';

export interface LocationReader {
  context(): MapContext;
  /** A page of Locations as JSON texts (each one serialized Location). */
  page(version: OcpiVersionNumber, q: PageParams): Page<string>;
  /** A location by id (CiString: case-insensitive), or undefined. Unpublished ones are hidden from 2.1.1. */
  find(version: OcpiVersionNumber, id: string): LocationView | undefined;
  serialize(version: OcpiVersionNumber, view: LocationView): Record<string, unknown>;
}

interface Cached { readVersion: number; validUntilMs: number; json: string }

const MAX_CACHED = 10_000;

export function createLocationReader(deps: { store: OcpiStore; clock: Clock; config: OcpiDeps['config'] }): LocationReader {
  const graceMs = deps.config.ocpp.offline_grace_s * 1000;
  const context = (): MapContext => ({ cpo: deps.config.cpo, nowMs: deps.clock.now().getTime(), offlineGraceMs: graceMs });
  // 2.1.1 has no `publish`: an unpublished location is not sent to 2.1.1 parties at all (as GIREVE does).
  const visible = (version: OcpiVersionNumber, publish: boolean) => version === '2.2.1' || publish;
  const serialize = (version: OcpiVersionNumber, view: LocationView) => (version === '2.2.1' ? location221(view, context()) : location211(view, context()));
  const cache = new Map<string, Cached>();

  /** Until when a serialized location stays true without any write: the next end of an offline grace period. */
  function validUntil(view: LocationView, nowMs: number): number {
    let until = Number.POSITIVE_INFINITY;
    for (const { charger } of view.evses) {
      if (charger.connected || charger.disconnectedAtMs === null) continue;
      const end = charger.disconnectedAtMs + graceMs;
      if (end > nowMs && end < until) until = end;
    }
    return until;
  }

  // The id index and the per-charger stamps change only with the read-model version (the same triggers as the
  // serialized locations), so one query per version serves every page: the stamps join over every EVSE and
  // connector was the bridge's top cost on date-filtered pulls. Only stampUpdatedMs (clock-dependent) runs per request.
  let indexMemo: { readVersion: number; rows: ReturnType<OcpiStore['locationIndex']> } | undefined;
  let stampsMemo: { readVersion: number; rows: ReturnType<OcpiStore['locationStamps']> } | undefined;
  const locationIndex = (readVersion: number) => {
    if (indexMemo?.readVersion !== readVersion) indexMemo = { readVersion, rows: deps.store.locationIndex() };
    return indexMemo.rows;
  };
  const locationStamps = (readVersion: number) => {
    if (stampsMemo?.readVersion !== readVersion) stampsMemo = { readVersion, rows: deps.store.locationStamps() };
    return stampsMemo.rows;
  };

  /** `readVersion` is read before any of the data it stands for (a write in between only makes the next call refetch). */
  function serializedPage(version: OcpiVersionNumber, ids: string[], readVersion: number): string[] {
    const nowMs = deps.clock.now().getTime();
    const out = new Map<string, string>();
    const missing: string[] = [];
    for (const id of ids) {
      const hit = cache.get(`${version}|${id}`);
      if (hit && hit.readVersion === readVersion && nowMs < hit.validUntilMs) out.set(id, hit.json);
      else missing.push(id);
    }
    if (missing.length) {
      if (cache.size > MAX_CACHED) cache.clear();
      for (const view of deps.store.locationViews(missing)) {
        const json = JSON.stringify(serialize(version, view));
        cache.set(`${version}|${view.location.id}`, { readVersion, validUntilMs: validUntil(view, nowMs), json });
        out.set(view.location.id, json);
      }
    }
    return ids.map((id) => out.get(id)).filter((j): j is string => j !== undefined);
  }

  return {
    context,
    serialize,
    page(version, q) {
      const readVersion = deps.store.readModelVersion();
      const ctx = context();
      // Only date filters need the effective last_updated (a join over every EVSE); without them the id index does.
      const matching = q.fromMs === undefined && q.toMs === undefined
        ? locationIndex(readVersion).filter((s) => visible(version, s.publish))
        : locationStamps(readVersion).filter((s) => {
          if (!visible(version, s.publish)) return false;
          const ms = stampUpdatedMs(s, ctx);
          return (q.fromMs === undefined || ms >= q.fromMs) && (q.toMs === undefined || ms < q.toMs);
        });
      const start = q.after !== undefined ? firstAfter(matching.map((s) => s.id), q.after) : q.offset;
      const ids = matching.slice(start, start + q.limit).map((s) => s.id);
      return { items: serializedPage(version, ids, readVersion), total: matching.length, lastKey: ids[ids.length - 1] };
    },
    find(version, id) {
      const wanted = id.toUpperCase();
      const entry = locationIndex(deps.store.readModelVersion()).find((s) => s.id.toUpperCase() === wanted);
      if (!entry || !visible(version, entry.publish)) return undefined;
      return deps.store.locationViews([entry.id])[0];
    },
  };
}

/** Index of the first id greater than `after` in an ascending list (binary search). */
function firstAfter(ids: string[], after: string): number {
  let lo = 0;
  let hi = ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ids[mid]! <= after) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
