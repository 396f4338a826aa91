/**
 * NotifyReport (OCPP 2.0.1 B07/B08): the device model arrives as pages with one requestId, seqNo 0..n and
 * `tbc: true` on all but the last. Pages are collected in memory and the whole report is stored as the
 * charger's configuration once the last page is in, with the meter's public key if the model has one
 * (Eichrecht). Collections a station never finishes are dropped after a while.
 */
import type { ActionHandler } from '../adapter.js';

interface ReportItem {
  component: { name: string; instance?: string; evse?: { id: number; connectorId?: number } };
  variable: { name: string; instance?: string };
  variableAttribute: Array<{ type?: string; value?: string; mutability?: string }>;
  variableCharacteristics?: Record<string, unknown>;
}

interface Collection { startedMs: number; generatedAt: string; pages: Map<number, ReportItem[]> }

export interface DeviceModelReport {
  protocol: 'ocpp2.0.1';
  requestId: number;
  generatedAt: string;
  /** The first seqNos that never arrived (at most MAX_LISTED_MISSING; the report is stored anyway). */
  missingPages: number[];
  /** How many seqNos below the last page's never arrived. */
  missingPageCount: number;
  variables: ReportItem[];
}

const MAX_AGE_MS = 10 * 60_000;
const MAX_PAGES = 10_000;
/** Open collections per station: a station that starts reports it never finishes cannot fill the memory. */
const MAX_OPEN_PER_STATION = 16;
/**
 * Missing pages named in the log. The last page's seqNo is the station's word (up to 2^31): the gap is
 * counted from the pages held, never walked page by page (a fuzzed seqNo of 2^31 used to abort the process).
 */
const MAX_LISTED_MISSING = 20;

export interface ReportAssembler {
  /** Adds a page; returns the whole report when this page completes it. */
  add(identity: string, page: { requestId: number; generatedAt: string; seqNo: number; tbc?: boolean; reportData?: ReportItem[] }, nowMs: number): DeviceModelReport | undefined;
}

export function createReportAssembler(): ReportAssembler {
  const open = new Map<string, Collection>();
  return {
    add(identity, page, nowMs) {
      for (const [key, c] of open) if (nowMs - c.startedMs > MAX_AGE_MS) open.delete(key);
      const key = `${identity}\u0000${page.requestId}`;
      let c = open.get(key);
      if (!c) {
        const ofStation = [...open.keys()].filter((k) => k.startsWith(`${identity}\u0000`));
        if (ofStation.length >= MAX_OPEN_PER_STATION) open.delete(ofStation[0]);
        open.set(key, (c = { startedMs: nowMs, generatedAt: page.generatedAt, pages: new Map() }));
      }
      if (c.pages.size < MAX_PAGES) c.pages.set(page.seqNo, page.reportData ?? []);
      // Pages come one at a time (one outstanding call per direction), so the last one completes the report;
      // if pages are missing by then, what came is stored and the gap is named.
      if (page.tbc) return undefined;
      let held = 0;
      for (const n of c.pages.keys()) if (n >= 0 && n <= page.seqNo) held++;
      const missingPageCount = Math.max(0, page.seqNo + 1 - held);
      const missingPages: number[] = [];
      const wanted = Math.min(missingPageCount, MAX_LISTED_MISSING);
      for (let n = 0; n <= page.seqNo && missingPages.length < wanted && n <= held + wanted; n++) if (!c.pages.has(n)) missingPages.push(n);
      open.delete(key);
      const variables = [...c.pages.entries()].sort(([a], [b]) => a - b).flatMap(([, items]) => items);
      return { protocol: 'ocpp2.0.1', requestId: page.requestId, generatedAt: c.generatedAt, missingPages, missingPageCount, variables };
    },
  };
}

/** The meter's public key in the device model (e.g. FiscalMetering.PublicKey, OCMF meters' MeterPublicKey). */
export function meterPublicKey(variables: ReportItem[]): string | undefined {
  for (const item of variables) {
    if (!/PublicKey$/i.test(item.variable.name)) continue;
    const value = (item.variableAttribute ?? []).find((a) => (a.type ?? 'Actual') === 'Actual')?.value;
    if (value && value.trim()) return value.trim();
  }
  return undefined;
}

export function notifyReport(reports: ReportAssembler): ActionHandler {
  return async (identity, p, ctx) => {
    const report = reports.add(identity, p, Date.now());
    if (report) {
      if (report.missingPageCount) ctx.log.warn({ charger: identity, requestId: report.requestId, missingCount: report.missingPageCount, missing: report.missingPages }, 'device model report stored with pages missing');
      ctx.chargers.storeConfiguration(identity, report, meterPublicKey(report.variables));
      ctx.log.info({ charger: identity, requestId: report.requestId, variables: report.variables.length }, 'device model stored');
    }
    return {};
  };
}
