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
  /** seqNos that never arrived (the report is stored anyway). */
  missingPages: number[];
  variables: ReportItem[];
}

const MAX_AGE_MS = 10 * 60_000;
const MAX_PAGES = 10_000;

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
      if (!c) open.set(key, (c = { startedMs: nowMs, generatedAt: page.generatedAt, pages: new Map() }));
      if (c.pages.size < MAX_PAGES) c.pages.set(page.seqNo, page.reportData ?? []);
      // Pages come one at a time (one outstanding call per direction), so the last one completes the report;
      // if pages are missing by then, what came is stored and the gap is named.
      if (page.tbc) return undefined;
      const missingPages: number[] = [];
      for (let n = 0; n <= page.seqNo; n++) if (!c.pages.has(n)) missingPages.push(n);
      open.delete(key);
      const variables = [...c.pages.entries()].sort(([a], [b]) => a - b).flatMap(([, items]) => items);
      return { protocol: 'ocpp2.0.1', requestId: page.requestId, generatedAt: c.generatedAt, missingPages, variables };
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
      if (report.missingPages.length) ctx.log.warn({ charger: identity, requestId: report.requestId, missing: report.missingPages.slice(0, 20) }, 'device model report stored with pages missing');
      ctx.chargers.storeConfiguration(identity, report, meterPublicKey(report.variables));
      ctx.log.info({ charger: identity, requestId: report.requestId, variables: report.variables.length }, 'device model stored');
    }
    return {};
  };
}
