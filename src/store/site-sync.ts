/**
 * Brings the database in line with the configured site at start-up: locations, tariffs, chargers, EVSEs,
 * connectors and local tokens. `last_updated` only moves when an object's content really changed, so eMSPs
 * see no phantom updates after a restart. An EVSE dropped from the config becomes `removed` (OCPI never
 * deletes EVSEs, mod_locations "Flow and Lifecycle"); a tariff dropped from the config is marked deleted.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { SiteDefinition } from '../domain/site.js';
import type { Db } from './open.js';
import { chargers, connectors, evses, idTokens, locations, tariffs } from './schema.js';

export function syncSite(db: Db, site: SiteDefinition, atMs: number): void {
  syncLocations(db, site, atMs);
  syncTariffs(db, site, atMs);
  syncChargers(db, site, atMs);
  syncTokens(db, site, atMs);
}

function syncLocations(db: Db, site: SiteDefinition, atMs: number): void {
  for (const loc of site.locations) {
    const dataJson = JSON.stringify(loc.data);
    const existing = db.select().from(locations).where(eq(locations.id, loc.id)).get();
    if (!existing) {
      db.insert(locations).values({ id: loc.id, dataJson, timeZone: loc.timeZone, publish: loc.publish, lastUpdatedMs: atMs }).run();
    } else if (existing.dataJson !== dataJson || existing.timeZone !== loc.timeZone || existing.publish !== loc.publish) {
      db.update(locations).set({ dataJson, timeZone: loc.timeZone, publish: loc.publish, lastUpdatedMs: atMs }).where(eq(locations.id, loc.id)).run();
    }
  }
}

function syncTariffs(db: Db, site: SiteDefinition, atMs: number): void {
  const configured = new Set(site.tariffs.map((t) => t.id));
  for (const t of site.tariffs) {
    const existing = db.select().from(tariffs).where(eq(tariffs.id, t.id)).get();
    const previous = existing ? withoutLastUpdated(existing.dataJson) : undefined;
    const next = JSON.stringify(t.data);
    if (existing && previous === next && existing.deletedAtMs === null) continue;
    const lastUpdatedMs = atMs;
    const dataJson = JSON.stringify({ ...t.data, last_updated: new Date(lastUpdatedMs).toISOString().replace(/\.\d{3}Z$/, 'Z') });
    if (existing) db.update(tariffs).set({ dataJson, lastUpdatedMs, deletedAtMs: null }).where(eq(tariffs.id, t.id)).run();
    else db.insert(tariffs).values({ id: t.id, dataJson, lastUpdatedMs }).run();
  }
  for (const row of db.select().from(tariffs).all()) {
    if (!configured.has(row.id) && row.deletedAtMs === null) db.update(tariffs).set({ deletedAtMs: atMs, lastUpdatedMs: atMs }).where(eq(tariffs.id, row.id)).run();
  }
}

function withoutLastUpdated(json: string): string {
  const { last_updated: _ignored, ...rest } = JSON.parse(json) as Record<string, unknown>;
  return JSON.stringify(rest);
}

function syncChargers(db: Db, site: SiteDefinition, atMs: number): void {
  const configuredUids = new Set<string>();
  for (const c of site.chargers) {
    const existing = db.select().from(chargers).where(eq(chargers.identity, c.identity)).get();
    if (!existing) {
      db.insert(chargers).values({ identity: c.identity, locationId: c.locationId, configured: true, meterPublicKey: c.meterPublicKey ?? null, createdAtMs: atMs, updatedAtMs: atMs }).run();
    } else {
      db.update(chargers).set({ locationId: c.locationId, configured: true, updatedAtMs: atMs, ...(c.meterPublicKey ? { meterPublicKey: c.meterPublicKey } : {}) }).where(eq(chargers.identity, c.identity)).run();
    }
    for (const e of c.evses) {
      configuredUids.add(e.uid);
      const fields = {
        uid: e.uid, evseId: e.evseId, locationId: c.locationId, configured: true, removed: e.removed,
        capabilitiesJson: e.capabilities ? JSON.stringify(e.capabilities) : null, floorLevel: e.floorLevel ?? null,
        physicalReference: e.physicalReference ?? null, meterPublicKey: e.meterPublicKey ?? null,
      };
      const row = db.select().from(evses).where(and(eq(evses.chargerIdentity, c.identity), eq(evses.ocppId, e.ocppId))).get();
      let evseRowId: number;
      if (!row) {
        evseRowId = db.insert(evses).values({ chargerIdentity: c.identity, ocppId: e.ocppId, ...fields, status: 'Unknown', lastUpdatedMs: atMs }).returning({ id: evses.id }).get().id;
      } else {
        evseRowId = row.id;
        const changed = (Object.keys(fields) as Array<keyof typeof fields>).some((k) => row[k] !== fields[k]);
        if (changed) db.update(evses).set({ ...fields, lastUpdatedMs: atMs }).where(eq(evses.id, row.id)).run();
      }
      syncConnectors(db, evseRowId, e.connectors, atMs);
    }
  }
  // Configured EVSEs that left the config: REMOVED, never deleted (transactions and CDRs still point at them).
  db.update(evses)
    .set({ removed: true, lastUpdatedMs: atMs })
    .where(and(eq(evses.configured, true), eq(evses.removed, false), sql`${evses.uid} NOT IN (SELECT value FROM json_each(${JSON.stringify([...configuredUids])}))`))
    .run();
}

function syncConnectors(db: Db, evseRowId: number, list: SiteDefinition['chargers'][number]['evses'][number]['connectors'], atMs: number): void {
  for (const k of list) {
    const fields = {
      ocppConnectorId: k.ocppConnectorId, standard: k.standard, format: k.format, powerType: k.powerType,
      maxVoltageV: k.maxVoltageV, maxAmperageA: k.maxAmperageA, maxElectricPowerW: k.maxElectricPowerW ?? null,
      tariffIdsJson: JSON.stringify(k.tariffIds), termsAndConditions: k.termsAndConditions ?? null,
    };
    const row = db.select().from(connectors).where(and(eq(connectors.evseRowId, evseRowId), eq(connectors.connectorId, k.connectorId))).get();
    if (!row) db.insert(connectors).values({ evseRowId, connectorId: k.connectorId, ...fields, lastUpdatedMs: atMs }).run();
    else if ((Object.keys(fields) as Array<keyof typeof fields>).some((f) => row[f] !== fields[f])) {
      db.update(connectors).set({ ...fields, lastUpdatedMs: atMs }).where(eq(connectors.id, row.id)).run();
      db.update(evses).set({ lastUpdatedMs: atMs }).where(eq(evses.id, evseRowId)).run();
    }
  }
}

function syncTokens(db: Db, site: SiteDefinition, atMs: number): void {
  for (const t of site.tokens) {
    const values = {
      countryCode: site.cpo.countryCode, partyId: site.cpo.partyId, uid: t.uid, type: t.type, valid: t.valid,
      contractId: t.contractId ?? null, visualNumber: t.visualNumber ?? null, whitelist: 'ALWAYS', source: 'config', lastUpdatedMs: atMs,
    };
    db.insert(idTokens).values(values).onConflictDoUpdate({
      target: [idTokens.countryCode, idTokens.partyId, idTokens.uid, idTokens.type],
      set: { valid: values.valid, contractId: values.contractId, visualNumber: values.visualNumber, lastUpdatedMs: atMs },
    }).run();
  }
}
