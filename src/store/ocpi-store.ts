/**
 * The OcpiStore port (domain/ocpi-ports.ts) on SQLite: OCPI platforms, parties, registration tokens, the
 * push queue and the read models the OCPI modules serve. The per-request reads (token lookup, location and
 * tariff pages) are prepared once; pages are keyset (`id > ?`) with OFFSET only as the fallback for a
 * client-computed offset. Outbound tokens are sealed with secret-box.ts before they touch the database.
 */
import { and, asc, eq, gte, isNull, lt, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import type {
  LocationStamp, LocationView, OcpiEndpointRef, OcpiPartyRecord, OcpiPlatformRecord, OcpiStore, PlatformStatus, PushQueueItem,
} from '../domain/ocpi-ports.js';
import type { ChargerLink } from '../domain/ocpi-status.js';
import type { ConnectorRecord, EvseRecord, LocationRecord, TariffRecord } from '../domain/records.js';
import type { SqliteHandle } from './open.js';
import * as schema from './schema.js';
import { evses, ocpiParties, ocpiPlatforms, ocpiPushQueue, ocpiPushStatus, ocpiRegistrationTokens, tariffs } from './schema.js';
import { openSecretBox } from './secret-box.js';

const ph = sql.placeholder;
const END_OF_TIME = Number.MAX_SAFE_INTEGER;

export function openOcpiStore(sqlite: SqliteHandle, dbPath: string, options: { durable?: () => Promise<void> } = {}): OcpiStore {
  const db = drizzle(sqlite, { schema });
  const box = openSecretBox(dbPath);

  const byTokenHash = db.select().from(ocpiPlatforms)
    .where(and(eq(ocpiPlatforms.inboundTokenHash, ph('hash')), sql`${ocpiPlatforms.status} != 'unregistered'`)).prepare();
  const byId = db.select().from(ocpiPlatforms).where(eq(ocpiPlatforms.id, ph('id'))).prepare();
  const partiesOf = db.select().from(ocpiParties).where(eq(ocpiParties.platformId, ph('id'))).orderBy(asc(ocpiParties.id)).prepare();

  // Every OCPI request looks its caller up by token (token-auth) and real-time authorization reads the platform:
  // the platform records are kept until the database changes. total_changes() moves with any write of this
  // connection, data_version with any commit of another one (the `npm run ocpi` CLI), so a token the CLI just
  // created or a platform it just unregistered is seen on the next request.
  const databaseState = sqlite.prepare('SELECT total_changes() AS own, (SELECT data_version FROM pragma_data_version) AS other');
  let platformCacheState = '';
  const platformCache = new Map<string, unknown>();
  function cachedPlatform<T>(key: string, load: () => T): T {
    const { own, other } = databaseState.get() as { own: number; other: number };
    const state = `${own}:${other}`;
    if (state !== platformCacheState) {
      platformCache.clear();
      platformCacheState = state;
    }
    if (platformCache.has(key)) return platformCache.get(key) as T;
    const found = load();
    if (platformCache.size >= 1000) platformCache.clear();
    platformCache.set(key, found);
    return found;
  }

  // The location read model is on the OCPI pull path: raw prepared statements with camelCase aliases, because
  // drizzle's row mapping cost more than the queries themselves (bench/ocpi-pull.mjs).
  const IN_IDS = '(SELECT value FROM json_each(?))';
  const locationsByIds = sqlite.prepare(`SELECT id, data_json AS dataJson, time_zone AS timeZone, publish, last_updated_ms AS lastUpdatedMs FROM locations WHERE id IN ${IN_IDS}`);
  const evsesByLocations = sqlite.prepare(`
    SELECT e.id, e.charger_identity AS chargerIdentity, e.ocpp_id AS ocppId, e.uid, e.evse_id AS evseId, e.location_id AS locationId,
           e.configured, e.removed, e.capabilities_json AS capabilitiesJson, e.floor_level AS floorLevel, e.physical_reference AS physicalReference,
           e.meter_public_key AS meterPublicKey, e.status, e.status_at_ms AS statusAtMs, e.error_code AS errorCode, e.vendor_error_code AS vendorErrorCode,
           e.status_info AS statusInfo, e.last_updated_ms AS lastUpdatedMs,
           ch.connected AS chConnected, ch.connected_at_ms AS chConnectedAtMs, ch.disconnected_at_ms AS chDisconnectedAtMs,
           ch.last_boot_at_ms AS chLastBootAtMs, ch.boot_status AS chBootStatus, ch.station_status AS chStationStatus
    FROM evses e LEFT JOIN chargers ch ON ch.identity = e.charger_identity
    WHERE e.location_id IN ${IN_IDS} ORDER BY e.id`);
  const connectorsByLocations = sqlite.prepare(`
    SELECT k.id, k.evse_row_id AS evseRowId, k.connector_id AS connectorId, k.ocpp_connector_id AS ocppConnectorId, k.standard, k.format,
           k.power_type AS powerType, k.max_voltage_v AS maxVoltageV, k.max_amperage_a AS maxAmperageA, k.max_electric_power_w AS maxElectricPowerW,
           k.tariff_ids_json AS tariffIdsJson, k.terms_and_conditions AS termsAndConditions, k.status, k.status_at_ms AS statusAtMs, k.last_updated_ms AS lastUpdatedMs
    FROM connectors k JOIN evses e ON e.id = k.evse_row_id
    WHERE e.location_id IN ${IN_IDS} ORDER BY k.evse_row_id, k.id`);
  const locationIndex = sqlite.prepare('SELECT id, publish FROM locations ORDER BY id');
  const readVersion = sqlite.prepare('SELECT version FROM ocpi_read_version WHERE id = 1').pluck();
  const stamps = sqlite.prepare(`
    SELECT l.id AS id, l.publish AS publish, l.last_updated_ms AS locationMs, e.charger_identity AS identity,
           MAX(e.last_updated_ms) AS evsesMaxMs, MAX(k.last_updated_ms) AS connectorsMaxMs,
           ch.connected AS connected, ch.connected_at_ms AS connectedAtMs, ch.disconnected_at_ms AS disconnectedAtMs,
           ch.last_boot_at_ms AS lastBootAtMs, ch.boot_status AS bootStatus, ch.station_status AS stationStatus
    FROM locations l
    LEFT JOIN evses e ON e.location_id = l.id
    LEFT JOIN connectors k ON k.evse_row_id = e.id
    LEFT JOIN chargers ch ON ch.identity = e.charger_identity
    GROUP BY l.id, e.charger_identity
    ORDER BY l.id, e.charger_identity`);

  const liveTariff = and(isNull(tariffs.deletedAtMs), gte(tariffs.lastUpdatedMs, ph('from')), lt(tariffs.lastUpdatedMs, ph('to')));
  const tariffCount = db.select({ n: sql<number>`count(*)` }).from(tariffs).where(liveTariff).prepare();
  const tariffsAfter = db.select().from(tariffs).where(and(liveTariff, sql`${tariffs.id} > ${ph('after')}`)).orderBy(asc(tariffs.id)).limit(ph('limit')).prepare();
  const tariffsAt = db.select().from(tariffs).where(liveTariff).orderBy(asc(tariffs.id)).limit(ph('limit')).offset(ph('offset')).prepare();

  const enqueue = sqlite.prepare(`
    INSERT INTO ocpi_push_queue (platform_id, module, object_key, method, path, attempts, next_attempt_at_ms, first_queued_at_ms)
    VALUES (?, ?, ?, ?, ?, 0, ?, ?)
    ON CONFLICT (platform_id, module, object_key) DO UPDATE SET method = excluded.method, path = excluded.path,
      next_attempt_at_ms = MIN(next_attempt_at_ms, excluded.next_attempt_at_ms)`);

  function toPlatform(row: typeof ocpiPlatforms.$inferSelect | undefined): OcpiPlatformRecord | undefined {
    if (!row) return undefined;
    const parties: OcpiPartyRecord[] = partiesOf.all({ id: row.id }).map((p) => ({
      countryCode: p.countryCode, partyId: p.partyId, role: p.role, businessDetails: p.businessDetailsJson ? JSON.parse(p.businessDetailsJson) : null,
    }));
    return {
      id: row.id, status: row.status as PlatformStatus, version: row.version as OcpiPlatformRecord['version'], versionsUrl: row.versionsUrl,
      endpoints: JSON.parse(row.endpointsJson) as OcpiEndpointRef[], tokenEncoding: row.tokenEncoding === 'plain' ? 'plain' : 'base64',
      name: row.name, parties, registeredAtMs: row.registeredAtMs, lastSeenAtMs: row.lastSeenAtMs, pushWatermarkMs: row.pushWatermarkMs,
      createdAtMs: row.createdAtMs, updatedAtMs: row.updatedAtMs,
    };
  }

  function replaceParties(platformId: number, parties: OcpiPartyRecord[]): void {
    db.delete(ocpiParties).where(eq(ocpiParties.platformId, platformId)).run();
    for (const p of parties) {
      db.insert(ocpiParties).values({
        platformId, countryCode: p.countryCode.toUpperCase(), partyId: p.partyId.toUpperCase(), role: p.role,
        businessDetailsJson: p.businessDetails ? JSON.stringify(p.businessDetails) : null,
      }).run();
    }
  }

  const store: OcpiStore = {
    // Inside the Store's open group-commit batch this is a savepoint of it; otherwise its own transaction.
    transaction: (fn) => sqlite.transaction(fn)(),
    durable: () => options.durable?.() ?? Promise.resolve(),

    findPlatformByTokenHash: (hash) => cachedPlatform(`t:${hash}`, () => toPlatform(byTokenHash.get({ hash }))),
    getPlatform: (id) => cachedPlatform(`i:${id}`, () => toPlatform(byId.get({ id }))),
    // Asked on every real-time authorization of a token nobody pushed (which platforms have a tokens endpoint).
    listPlatforms: (status) => cachedPlatform(`l:${status ?? '*'}`, () =>
      (status ? db.select().from(ocpiPlatforms).where(eq(ocpiPlatforms.status, status)) : db.select().from(ocpiPlatforms))
        .orderBy(asc(ocpiPlatforms.id)).all().map((r) => toPlatform(r)!)),
    outboundToken: (id) => {
      const sealed = byId.get({ id })?.outboundToken;
      return sealed ? box.open(sealed) : undefined;
    },
    platformOfParty: (countryCode, partyId, role) =>
      db.select({ platformId: ocpiParties.platformId }).from(ocpiParties)
        .where(and(eq(ocpiParties.countryCode, countryCode.toUpperCase()), eq(ocpiParties.partyId, partyId.toUpperCase()), eq(ocpiParties.role, role)))
        .get()?.platformId,
    createPlatform: (reg, atMs) =>
      sqlite.transaction(() => {
        const row = db.insert(ocpiPlatforms).values({
          status: reg.status, inboundTokenHash: reg.inboundTokenHash, outboundToken: reg.outboundToken === null ? null : box.seal(reg.outboundToken),
          versionsUrl: reg.versionsUrl, version: reg.version, endpointsJson: JSON.stringify(reg.endpoints), tokenEncoding: reg.tokenEncoding,
          name: reg.name, registeredAtMs: reg.status === 'registered' ? atMs : null, pushWatermarkMs: atMs, createdAtMs: atMs, updatedAtMs: atMs,
        }).returning().get();
        replaceParties(row.id, reg.parties);
        return toPlatform(row)!;
      })(),
    updatePlatform: (id, patch, atMs) =>
      sqlite.transaction(() => {
        const set: Partial<typeof ocpiPlatforms.$inferInsert> = { updatedAtMs: atMs };
        if (patch.status !== undefined) set.status = patch.status;
        if (patch.inboundTokenHash !== undefined) set.inboundTokenHash = patch.inboundTokenHash;
        if (patch.outboundToken !== undefined) set.outboundToken = patch.outboundToken === null ? null : box.seal(patch.outboundToken);
        if (patch.versionsUrl !== undefined) set.versionsUrl = patch.versionsUrl;
        if (patch.version !== undefined) set.version = patch.version;
        if (patch.endpoints !== undefined) set.endpointsJson = JSON.stringify(patch.endpoints);
        if (patch.tokenEncoding !== undefined) set.tokenEncoding = patch.tokenEncoding;
        if (patch.name !== undefined) set.name = patch.name;
        if (patch.registeredAtMs !== undefined) set.registeredAtMs = patch.registeredAtMs;
        db.update(ocpiPlatforms).set(set).where(eq(ocpiPlatforms.id, id)).run();
        if (patch.parties) replaceParties(id, patch.parties);
      })(),
    unregisterPlatform: (id, atMs) =>
      sqlite.transaction(() => {
        db.update(ocpiPlatforms).set({ status: 'unregistered', inboundTokenHash: null, outboundToken: null, updatedAtMs: atMs }).where(eq(ocpiPlatforms.id, id)).run();
        db.delete(ocpiParties).where(eq(ocpiParties.platformId, id)).run();
        db.delete(ocpiPushQueue).where(eq(ocpiPushQueue.platformId, id)).run();
      })(),
    deletePlatform: (id) => {
      db.delete(ocpiPlatforms).where(eq(ocpiPlatforms.id, id)).run();
    },
    touchPlatform: (id, atMs) => {
      db.update(ocpiPlatforms).set({ lastSeenAtMs: atMs }).where(eq(ocpiPlatforms.id, id)).run();
    },
    setPushWatermark: (id, atMs) => {
      db.update(ocpiPlatforms).set({ pushWatermarkMs: atMs }).where(eq(ocpiPlatforms.id, id)).run();
    },

    addRegistrationToken: (tokenHash, atMs) =>
      db.insert(ocpiRegistrationTokens).values({ tokenHash, createdAtMs: atMs }).onConflictDoNothing().run().changes > 0,
    registrationTokenUsable: (tokenHash) => {
      const row = db.select().from(ocpiRegistrationTokens).where(eq(ocpiRegistrationTokens.tokenHash, tokenHash)).get();
      return row !== undefined && row.usedAtMs === null;
    },
    consumeRegistrationToken: (tokenHash, platformId, atMs) =>
      db.update(ocpiRegistrationTokens).set({ usedAtMs: atMs, usedByPlatformId: platformId })
        .where(and(eq(ocpiRegistrationTokens.tokenHash, tokenHash), isNull(ocpiRegistrationTokens.usedAtMs))).run().changes > 0,

    enqueuePushes: (items, atMs) =>
      sqlite.transaction(() => {
        for (const i of items) enqueue.run(i.platformId, i.module, i.objectKey, i.method, i.path, atMs, atMs);
      })(),
    duePushes: (nowMs, limit, exclude = []) =>
      db.select().from(ocpiPushQueue)
        .where(and(sql`${ocpiPushQueue.nextAttemptAtMs} <= ${nowMs}`, sql`${ocpiPushQueue.platformId} NOT IN (SELECT value FROM json_each(${JSON.stringify(exclude)}))`))
        .orderBy(asc(ocpiPushQueue.platformId), asc(ocpiPushQueue.id)).limit(limit).all() as PushQueueItem[],
    pushDone: (id) => {
      db.delete(ocpiPushQueue).where(eq(ocpiPushQueue.id, id)).run();
    },
    pushRetry: (id, attempts, nextAttemptAtMs, error) => {
      db.update(ocpiPushQueue).set({ attempts, nextAttemptAtMs, lastError: error.slice(0, 500) }).where(eq(ocpiPushQueue.id, id)).run();
    },
    dropPush: (id) => {
      db.delete(ocpiPushQueue).where(eq(ocpiPushQueue.id, id)).run();
    },
    pushQueueDepths: () =>
      new Map(db.select({ platformId: ocpiPushQueue.platformId, n: sql<number>`count(*)` }).from(ocpiPushQueue).groupBy(ocpiPushQueue.platformId).all()
        .map((r) => [r.platformId, r.n])),
    recordPushOutcome: (platformId, module, outcome, success, atMs) => {
      db.insert(ocpiPushStatus).values({ platformId, module, lastAttemptAtMs: atMs, lastSuccessAtMs: success ? atMs : null, lastOutcome: outcome })
        .onConflictDoUpdate({
          target: [ocpiPushStatus.platformId, ocpiPushStatus.module],
          set: { lastAttemptAtMs: atMs, lastOutcome: outcome, ...(success ? { lastSuccessAtMs: atMs } : {}) },
        }).run();
    },
    listPushStatus: () => db.select().from(ocpiPushStatus).all(),

    locationStamps: () => {
      const out: LocationStamp[] = [];
      for (const r of stamps.all() as Array<Record<string, any>>) {
        let stamp = out[out.length - 1];
        if (!stamp || stamp.id !== r.id) {
          stamp = { id: r.id, publish: r.publish === 1, lastUpdatedMs: r.locationMs, chargers: [] };
          out.push(stamp);
        }
        if (r.identity === null) continue;
        stamp.chargers.push({
          identity: r.identity,
          charger: {
            connected: r.connected === 1, connectedAtMs: r.connectedAtMs, disconnectedAtMs: r.disconnectedAtMs,
            lastBootAtMs: r.lastBootAtMs, bootStatus: r.bootStatus, stationStatus: r.stationStatus,
          },
          evsesMaxMs: r.evsesMaxMs ?? 0, connectorsMaxMs: r.connectorsMaxMs ?? 0,
        });
      }
      return out;
    },
    readModelVersion: () => (readVersion.get() as number | undefined) ?? 0,
    locationIndex: () => (locationIndex.all() as Array<{ id: string; publish: number }>).map((r) => ({ id: r.id, publish: r.publish === 1 })),
    locationViews: (ids) => {
      if (ids.length === 0) return [];
      const json = JSON.stringify(ids);
      const views = new Map<string, LocationView>();
      for (const l of locationsByIds.all(json) as Array<Record<string, any>>) {
        const location: LocationRecord = { id: l.id, data: JSON.parse(l.dataJson), timeZone: l.timeZone, publish: l.publish === 1, lastUpdatedMs: l.lastUpdatedMs };
        views.set(l.id, { location, evses: [] });
      }
      const byEvse = new Map<number, ConnectorRecord[]>();
      for (const k of connectorsByLocations.all(json) as ConnectorRecord[]) {
        const list = byEvse.get(k.evseRowId);
        if (list) list.push(k);
        else byEvse.set(k.evseRowId, [k]);
      }
      for (const r of evsesByLocations.all(json) as Array<Record<string, any>>) {
        const view = views.get(r.locationId);
        if (!view) continue;
        const evse: EvseRecord = {
          id: r.id, chargerIdentity: r.chargerIdentity, ocppId: r.ocppId, uid: r.uid, evseId: r.evseId, locationId: r.locationId,
          configured: r.configured === 1, removed: r.removed === 1, capabilitiesJson: r.capabilitiesJson, floorLevel: r.floorLevel,
          physicalReference: r.physicalReference, meterPublicKey: r.meterPublicKey, status: r.status, statusAtMs: r.statusAtMs, errorCode: r.errorCode,
          vendorErrorCode: r.vendorErrorCode, statusInfo: r.statusInfo, lastUpdatedMs: r.lastUpdatedMs,
        };
        const charger: ChargerLink = {
          connected: r.chConnected === 1, connectedAtMs: r.chConnectedAtMs, disconnectedAtMs: r.chDisconnectedAtMs,
          lastBootAtMs: r.chLastBootAtMs, bootStatus: r.chBootStatus, stationStatus: r.chStationStatus,
        };
        view.evses.push({ evse, charger, connectors: byEvse.get(r.id) ?? [] });
      }
      return ids.map((id) => views.get(id)).filter((v): v is LocationView => v !== undefined);
    },
    evseLocations: (rowIds) =>
      rowIds.length === 0 ? [] : db.select({ evseRowId: evses.id, locationId: evses.locationId, uid: evses.uid }).from(evses)
        .where(sql`${evses.id} IN (SELECT value FROM json_each(${JSON.stringify(rowIds)}))`).all(),
    evseRowIdsOfCharger: (identity) =>
      db.select({ id: evses.id }).from(evses).where(eq(evses.chargerIdentity, identity)).orderBy(asc(evses.id)).all().map((r) => r.id),

    tariffPage: (q) => {
      const filter = { from: q.fromMs ?? -END_OF_TIME, to: q.toMs ?? END_OF_TIME };
      const total = tariffCount.get(filter)?.n ?? 0;
      const rows = q.after !== undefined
        ? tariffsAfter.all({ ...filter, after: q.after, limit: q.limit })
        : tariffsAt.all({ ...filter, limit: q.limit, offset: q.offset });
      const items = rows.map(toTariff);
      return { items, total, lastKey: items[items.length - 1]?.id };
    },
    getTariff: (id) => {
      const row = db.select().from(tariffs).where(eq(tariffs.id, id)).get();
      return row && toTariff(row);
    },
    listTariffsChangedSince: (sinceMs) =>
      db.select().from(tariffs).where(sql`${tariffs.lastUpdatedMs} > ${sinceMs}`).orderBy(asc(tariffs.id)).all().map(toTariff),
  };
  return store;
}

function toTariff(row: typeof tariffs.$inferSelect): TariffRecord {
  return { id: row.id, data: JSON.parse(row.dataJson), lastUpdatedMs: row.lastUpdatedMs, deletedAtMs: row.deletedAtMs };
}
