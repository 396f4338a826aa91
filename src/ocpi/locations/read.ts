/**
 * Reading locations for the Sender interface and for pushes: the cheap per-charger stamps decide which
 * locations match a page's date filters (the effective last_updated depends on the clock: an offline charger
 * turns UNKNOWN when its grace period runs out), then only that page's locations are read in full.
 * Stable order: location id (config ids never change, OCPI §Pagination "stable order").
 */
import type { LocationView, OcpiStore, OcpiVersionNumber, Page } from '../../domain/ocpi-ports.js';
import type { Clock } from '../../domain/ports.js';
import type { OcpiDeps, PageParams } from '../context.js';
import { location211, location221, stampUpdatedMs, type MapContext } from './map.js';

export interface LocationReader {
  context(): MapContext;
  page(version: OcpiVersionNumber, q: PageParams): Page<Record<string, unknown>>;
  /** A location by id (CiString: case-insensitive), or undefined. Unpublished ones are hidden from 2.1.1. */
  find(version: OcpiVersionNumber, id: string): LocationView | undefined;
  serialize(version: OcpiVersionNumber, view: LocationView): Record<string, unknown>;
}

export function createLocationReader(deps: { store: OcpiStore; clock: Clock; config: OcpiDeps['config'] }): LocationReader {
  const context = (): MapContext => ({ cpo: deps.config.cpo, nowMs: deps.clock.now().getTime(), offlineGraceMs: deps.config.ocpp.offline_grace_s * 1000 });
  // 2.1.1 has no `publish`: an unpublished location is not sent to 2.1.1 parties at all (as GIREVE does).
  const visible = (version: OcpiVersionNumber, publish: boolean) => version === '2.2.1' || publish;
  const serialize = (version: OcpiVersionNumber, view: LocationView) => (version === '2.2.1' ? location221(view, context()) : location211(view, context()));

  return {
    context,
    serialize,
    page(version, q) {
      const ctx = context();
      const matching = deps.store.locationStamps().filter((s) => {
        if (!visible(version, s.publish)) return false;
        const ms = stampUpdatedMs(s, ctx);
        return (q.fromMs === undefined || ms >= q.fromMs) && (q.toMs === undefined || ms < q.toMs);
      });
      const start = q.after !== undefined ? firstAfter(matching.map((s) => s.id), q.after) : q.offset;
      const ids = matching.slice(start, start + q.limit).map((s) => s.id);
      const items = deps.store.locationViews(ids).map((v) => serialize(version, v));
      return { items, total: matching.length, lastKey: ids[ids.length - 1] };
    },
    find(version, id) {
      const wanted = id.toUpperCase();
      const stamp = deps.store.locationStamps().find((s) => s.id.toUpperCase() === wanted);
      if (!stamp || !visible(version, stamp.publish)) return undefined;
      return deps.store.locationViews([stamp.id])[0];
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
