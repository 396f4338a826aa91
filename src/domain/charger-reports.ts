/**
 * Reports a charger sends about itself and a technician needs later, kept apart from the OCPP message log
 * (which traffic trims): monitors (2.0.1 N02 NotifyMonitoringReport), charging profiles (K09
 * ReportChargingProfiles), customer information (N09), display messages (O04), external charging limits
 * (K12/K13), EV charging needs and schedules (K15-K17), security events (A04) and firmware / log progress.
 * A report in pages (one requestId, `tbc: true` on all but the last) is one row per page. Imports domain/ only.
 */
import type { ChargerReportStore } from './ports.js';

export const CHARGER_REPORT_KINDS = [
  'monitoring', 'charging-profiles', 'customer-information', 'display-messages', 'charging-limit', 'charging-limit-cleared',
  'ev-charging-needs', 'ev-charging-schedule', 'security-event', 'firmware-status', 'log-status', 'publish-firmware-status',
] as const;
export type ChargerReportKind = (typeof CHARGER_REPORT_KINDS)[number];

/** Per charger and kind: the newest reports kept (all their pages), and at most this many rows whatever the reports. */
export const KEEP_REPORTS_PER_KIND = 50;
export const KEEP_ROWS_PER_KIND = 1000;

/** One message as the adapter maps it: the wire payload is kept as received in `data`. */
export interface ChargerReportMessage {
  kind: ChargerReportKind;
  requestId?: number;
  seqNo?: number;
  tbc?: boolean;
  evseOcppId?: number;
  data: unknown;
}

export interface ChargerReportRecord {
  id: number;
  chargerIdentity: string;
  kind: ChargerReportKind;
  requestId: number | null;
  seqNo: number | null;
  tbc: boolean;
  evseOcppId: number | null;
  receivedAtMs: number;
  dataJson: string;
}

export type NewChargerReport = Omit<ChargerReportRecord, 'id'>;

/**
 * Stores one message inside the caller's transaction and applies the bound. Page rules: seqNo 0 (or, for
 * messages without seqNo, a page after the last page of a finished report) starts the request's report
 * afresh, since a requestId may be reused; a page repeated after a lost answer (same seqNo, or the same
 * content as the last page) replaces the copy instead of adding one. Returns the stored row id.
 */
export function putChargerReport(store: ChargerReportStore, identity: string, m: ChargerReportMessage, atMs: number): number {
  const dataJson = JSON.stringify(m.data ?? null);
  let seqNo: number | null = null;
  if (m.requestId !== undefined) {
    const pages = store.listReportPages(identity, m.kind, m.requestId);
    const last = pages[pages.length - 1];
    const fresh = m.seqNo === 0 || (m.seqNo === undefined && last !== undefined && !last.tbc);
    if (fresh) {
      store.deleteChargerReports(pages.map((p) => p.id));
      seqNo = m.seqNo ?? 0;
    } else if (m.seqNo !== undefined) {
      seqNo = m.seqNo;
      store.deleteChargerReports(pages.filter((p) => p.seqNo === seqNo).map((p) => p.id));
    } else if (last && store.getChargerReport(last.id)?.dataJson === dataJson) {
      store.deleteChargerReports([last.id]);
      seqNo = last.seqNo;
    } else {
      seqNo = pages.reduce((max, p) => Math.max(max, (p.seqNo ?? -1) + 1), 0);
    }
  }
  const id = store.insertChargerReport({
    chargerIdentity: identity, kind: m.kind, requestId: m.requestId ?? null, seqNo, tbc: m.tbc ?? false,
    evseOcppId: m.evseOcppId ?? null, receivedAtMs: atMs, dataJson,
  });
  store.pruneChargerReports(identity, m.kind, KEEP_REPORTS_PER_KIND, KEEP_ROWS_PER_KIND);
  return id;
}

/** The newest report of each kind a charger sent (all its pages, in page order), for the status page. */
export function latestChargerReports(store: ChargerReportStore, identity: string, maxPages = 50): Array<{ kind: ChargerReportKind; stored: number; pages: ChargerReportRecord[] }> {
  return store.summarizeChargerReports(identity).map(({ kind, stored }) => {
    const newest = store.listChargerReports(identity, kind, { limit: 1 })[0];
    const pages = newest?.requestId === null || newest === undefined
      ? store.listChargerReports(identity, kind, { limit: 10 })
      : store.listChargerReports(identity, kind, { requestId: newest.requestId, limit: maxPages });
    pages.sort((a, b) => (a.requestId === null ? b.id - a.id : (a.seqNo ?? 0) - (b.seqNo ?? 0) || a.id - b.id));
    return { kind, stored, pages };
  });
}
