/**
 * The EmspTokenStore port (domain/token-ports.ts) on SQLite: eMSP tokens in `id_tokens` (with the OCPP 1.6
 * alias and a change number for local lists), reservations, and each charger's local-list state (in
 * `settings`). Prepared statements: the authorization lookup runs on every OCPP Authorize. Tokens of a platform
 * that unregistered are left out of every answer. Synchronous; writes go inside the Store's transaction().
 */
import type { EmspTokenStore, LocalListEntry, OcpiTokenData, ReservationRecord, ReservationStatus, TokenRow } from '../domain/token-ports.js';
import { idTagForUid } from '../domain/token-mapping.js';
import type { SqliteHandle } from './open.js';

const TOKEN_COLUMNS = `t.id, t.country_code AS countryCode, t.party_id AS partyId, t.uid, t.type, t.contract_id AS contractId, t.visual_number AS visualNumber,
  t.group_id AS groupId, t.valid, t.whitelist, t.source, t.platform_id AS platformId, t.data_json AS dataJson, t.last_updated_ms AS lastUpdatedMs,
  t.alias, t.change_seq AS changeSeq`;
const LIVE = `(t.platform_id IS NULL OR EXISTS (SELECT 1 FROM ocpi_platforms p WHERE p.id = t.platform_id AND p.status = 'registered'))`;
const RESERVATION_COLUMNS = `id, ocpi_reservation_id AS ocpiReservationId, platform_id AS platformId, charger_identity AS chargerIdentity, evse_ocpp_id AS evseOcppId,
  id_tag AS idTag, expires_at_ms AS expiresAtMs, status, response_url AS responseUrl, location_id AS locationId, evse_uid AS evseUid,
  token_row_id AS tokenRowId, authorization_reference AS authorizationReference, created_at_ms AS createdAtMs, updated_at_ms AS updatedAtMs`;
const LISTED = `t.source = 'emsp' AND t.whitelist IN ('ALWAYS', 'ALLOWED')`;

type RawToken = Omit<TokenRow, 'valid'> & { valid: number };
const toRow = (r: RawToken | undefined): TokenRow | undefined => r && { ...r, valid: r.valid === 1 };

export function openTokenStore(sqlite: SqliteHandle): EmspTokenStore {
  // A UNION of two index searches: with `uid = ? OR alias = ?` SQLite scanned the whole table on every Authorize.
  const byIdTag = sqlite.prepare(`SELECT ${TOKEN_COLUMNS} FROM id_tokens t
    WHERE t.id IN (SELECT id FROM id_tokens WHERE uid = @tag COLLATE NOCASE UNION SELECT id FROM id_tokens WHERE alias = upper(@tag)) AND ${LIVE} ORDER BY t.id`);
  const byKey = sqlite.prepare(`SELECT ${TOKEN_COLUMNS} FROM id_tokens t WHERE t.country_code = upper(?) AND t.party_id = upper(?) AND t.uid = ? COLLATE NOCASE AND t.type = ?`);
  const byId = sqlite.prepare(`SELECT ${TOKEN_COLUMNS} FROM id_tokens t WHERE t.id = ?`);
  const nextSeq = sqlite.prepare('SELECT COALESCE(MAX(change_seq), 0) + 1 FROM id_tokens').pluck();
  const maxSeq = sqlite.prepare(`SELECT COALESCE(MAX(change_seq), 0) FROM id_tokens t WHERE t.source = 'emsp'`).pluck();
  const insert = sqlite.prepare(`INSERT INTO id_tokens (country_code, party_id, uid, type, contract_id, visual_number, group_id, valid, whitelist, source, platform_id, data_json, last_updated_ms, alias, change_seq)
    VALUES (@countryCode, @partyId, @uid, @type, @contractId, @visualNumber, @groupId, @valid, @whitelist, @source, @platformId, @dataJson, @lastUpdatedMs, @alias, @changeSeq)`);
  const update = sqlite.prepare(`UPDATE id_tokens SET uid = @uid, contract_id = @contractId, visual_number = @visualNumber, group_id = @groupId, valid = @valid, whitelist = @whitelist,
    source = @source, platform_id = @platformId, data_json = @dataJson, last_updated_ms = @lastUpdatedMs, alias = @alias, change_seq = @changeSeq WHERE id = @id`);
  const allListed = sqlite.prepare(`SELECT t.uid, t.alias, t.type, t.valid FROM id_tokens t WHERE ${LISTED} AND ${LIVE} ORDER BY t.id`);
  const changedUids = sqlite.prepare(`SELECT DISTINCT upper(t.uid) AS uid FROM id_tokens t WHERE t.source = 'emsp' AND t.change_seq > ?`).pluck();
  const listedByUid = sqlite.prepare(`SELECT t.uid, t.alias, t.type, t.valid FROM id_tokens t WHERE ${LISTED} AND ${LIVE} AND t.uid = ? COLLATE NOCASE ORDER BY t.valid DESC, t.id`);
  const anyByUid = sqlite.prepare(`SELECT t.uid, t.type FROM id_tokens t WHERE t.source = 'emsp' AND t.uid = ? COLLATE NOCASE ORDER BY t.id LIMIT 1`);
  const getSetting = sqlite.prepare('SELECT value FROM settings WHERE key = ?').pluck();
  const setSetting = sqlite.prepare('INSERT INTO settings (key, value, updated_at_ms) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at_ms = excluded.updated_at_ms');
  const setChargerVersion = sqlite.prepare('UPDATE chargers SET local_list_version = ? WHERE identity = ?');

  const reservationById = sqlite.prepare(`SELECT ${RESERVATION_COLUMNS} FROM reservations WHERE id = ?`);
  const reservationByOcpi = sqlite.prepare(`SELECT ${RESERVATION_COLUMNS} FROM reservations WHERE platform_id = ? AND ocpi_reservation_id = ?`);
  const reservationsIn = sqlite.prepare(`SELECT ${RESERVATION_COLUMNS} FROM reservations WHERE status IN (SELECT value FROM json_each(?)) ORDER BY expires_at_ms, id`);
  const insertReservation = sqlite.prepare(`INSERT INTO reservations (ocpi_reservation_id, platform_id, charger_identity, evse_ocpp_id, id_tag, expires_at_ms, status, response_url,
      location_id, evse_uid, token_row_id, authorization_reference, created_at_ms, updated_at_ms)
    VALUES (@ocpiReservationId, @platformId, @chargerIdentity, @evseOcppId, @idTag, @expiresAtMs, @status, @responseUrl, @locationId, @evseUid, @tokenRowId, @authorizationReference, @atMs, @atMs)`);
  const replaceReservation = sqlite.prepare(`UPDATE reservations SET charger_identity = @chargerIdentity, evse_ocpp_id = @evseOcppId, id_tag = @idTag, expires_at_ms = @expiresAtMs,
      status = @status, response_url = @responseUrl, location_id = @locationId, evse_uid = @evseUid, token_row_id = @tokenRowId, authorization_reference = @authorizationReference,
      updated_at_ms = @atMs WHERE id = @id`);
  const setReservationStatus = sqlite.prepare('UPDATE reservations SET status = COALESCE(@status, status), updated_at_ms = COALESCE(@updatedAtMs, updated_at_ms) WHERE id = @id');

  function columns(platformId: number, t: OcpiTokenData, source: string, atMs: number) {
    return {
      countryCode: t.country_code.toUpperCase(), partyId: t.party_id.toUpperCase(), uid: t.uid, type: t.type, contractId: t.contract_id,
      visualNumber: t.visual_number ?? null, groupId: t.group_id ?? null, valid: t.valid ? 1 : 0, whitelist: t.whitelist, source, platformId,
      dataJson: JSON.stringify(t), lastUpdatedMs: Number.isNaN(Date.parse(t.last_updated)) ? atMs : Date.parse(t.last_updated),
      alias: t.uid.length > 20 ? idTagForUid(t.uid) : null,
    };
  }

  function entry(r: { uid: string; alias: string | null; type: string; valid: number }): LocalListEntry {
    return { uid: r.uid, idTag: r.alias ?? r.uid, type: r.type, status: r.valid === 1 ? 'Accepted' : 'Blocked' };
  }

  const store: EmspTokenStore = {
    findByIdTag: (idTag) => (byIdTag.all({ tag: idTag }) as RawToken[]).map((r) => toRow(r)!),
    getToken: (cc, pid, uid, type) => toRow(byKey.get(cc, pid, uid, type) as RawToken | undefined),
    getTokenById: (id) => toRow(byId.get(id) as RawToken | undefined),
    putEmspToken(platformId, token, atMs) {
      const existing = store.getToken(token.country_code, token.party_id, token.uid, token.type);
      const values = { ...columns(platformId, token, 'emsp', atMs), changeSeq: nextSeq.get() as number };
      if (existing) update.run({ ...values, id: existing.id });
      else insert.run(values);
      return { row: store.getToken(token.country_code, token.party_id, token.uid, token.type)!, created: !existing };
    },
    rememberToken(platformId, token, atMs) {
      const existing = store.getToken(token.country_code, token.party_id, token.uid, token.type);
      if (existing) return existing;
      insert.run({ ...columns(platformId, token, 'command', atMs), changeSeq: null });
      return store.getToken(token.country_code, token.party_id, token.uid, token.type)!;
    },
    localListEntries(afterSeq) {
      if (afterSeq === undefined) return (allListed.all() as Array<Parameters<typeof entry>[0]>).map(entry);
      const out: LocalListEntry[] = [];
      for (const uid of changedUids.all(afterSeq) as string[]) {
        // The uid's current standing over every eMSP that publishes it (another one may still list it).
        const listed = listedByUid.get(uid) as Parameters<typeof entry>[0] | undefined;
        if (listed) out.push(entry(listed));
        else {
          const any = anyByUid.get(uid) as { uid: string; type: string };
          out.push({ uid: any.uid, idTag: idTagForUid(any.uid), type: any.type });
        }
      }
      return out;
    },
    maxChangeSeq: () => maxSeq.get() as number,
    localListState(identity) {
      const raw = getSetting.get(`local_list:${identity}`) as string | undefined;
      return raw ? JSON.parse(raw) : undefined;
    },
    setLocalListState(identity, state, atMs) {
      setSetting.run(`local_list:${identity}`, JSON.stringify(state), atMs);
      setChargerVersion.run(state.version, identity);
    },

    getReservation: (platformId, ocpiId) => reservationByOcpi.get(platformId, ocpiId) as ReservationRecord | undefined,
    getReservationById: (id) => reservationById.get(id) as ReservationRecord | undefined,
    upsertReservation(r, atMs) {
      const existing = r.platformId !== null && r.ocpiReservationId !== null ? store.getReservation(r.platformId, r.ocpiReservationId) : undefined;
      if (existing) {
        replaceReservation.run({ ...r, id: existing.id, atMs });
        return store.getReservationById(existing.id)!;
      }
      const id = Number(insertReservation.run({ ...r, atMs }).lastInsertRowid);
      return store.getReservationById(id)!;
    },
    updateReservation(id, patch) {
      setReservationStatus.run({ id, status: patch.status ?? null, updatedAtMs: patch.updatedAtMs ?? null });
    },
    listReservations: (statuses: ReservationStatus[]) => reservationsIn.all(JSON.stringify(statuses)) as ReservationRecord[],
  };
  return store;
}
