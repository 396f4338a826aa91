/**
 * The reports a charger sent about itself (domain/charger-reports.ts) as the charger page shows them: per
 * kind the newest report with its pages in order, pretty-printed and cut like the traffic log. Plain data;
 * the view escapes it (the content is whatever the charger sent).
 */
import { latestChargerReports, type ChargerReportKind, type ChargerReportRecord } from '../domain/charger-reports.js';
import type { Store } from '../domain/ports.js';
import { prettyFrame } from './data.js';

export const REPORT_LABELS: Record<ChargerReportKind, string> = {
  monitoring: 'Monitors (NotifyMonitoringReport)',
  'charging-profiles': 'Charging profiles (ReportChargingProfiles)',
  'customer-information': 'Customer information (NotifyCustomerInformation)',
  'display-messages': 'Display messages (NotifyDisplayMessages)',
  'charging-limit': 'External charging limits (NotifyChargingLimit)',
  'charging-limit-cleared': 'External charging limits cleared (ClearedChargingLimit)',
  'ev-charging-needs': 'EV charging needs (NotifyEVChargingNeeds)',
  'ev-charging-schedule': 'EV charging schedules (NotifyEVChargingSchedule)',
  'security-event': 'Security events (SecurityEventNotification)',
  'firmware-status': 'Firmware status (FirmwareStatusNotification)',
  'log-status': 'Log upload status (LogStatusNotification)',
  'publish-firmware-status': 'Firmware publishing status (PublishFirmwareStatusNotification)',
};

export interface ReportView {
  kind: ChargerReportKind;
  label: string;
  /** The request the shown pages answer; null: the newest messages of a kind that has no requests. */
  requestId: number | null;
  pages: number;
  /** The last page shown still announced more (`tbc`): the report is not complete (yet). */
  incomplete: boolean;
  /** Reports of this kind kept for the charger (the shown one included). */
  stored: number;
  lastAtMs: number;
  text: string;
  truncated: boolean;
}

/** The pages as one JSON array: page number, tbc, EVSE and arrival beside the message as received. */
export function pagesJson(pages: ChargerReportRecord[]): string {
  return JSON.stringify(pages.map((p) => ({
    ...(p.requestId !== null ? { requestId: p.requestId, page: p.seqNo, tbc: p.tbc } : {}),
    ...(p.evseOcppId !== null ? { evseId: p.evseOcppId } : {}),
    receivedAt: new Date(p.receivedAtMs).toISOString(),
    message: JSON.parse(p.dataJson) as unknown,
  })));
}

export function reportViews(store: Store, identity: string): ReportView[] {
  return latestChargerReports(store, identity).map(({ kind, stored, pages }) => {
    const paged = pages[0]?.requestId ?? null;
    const last = pages.reduce((a, b) => (b.id > a.id ? b : a), pages[0]!);
    return {
      kind, label: REPORT_LABELS[kind] ?? kind, requestId: paged, pages: pages.length, stored,
      incomplete: paged !== null && pages.some((p) => p.id === last.id && p.tbc),
      lastAtMs: last.receivedAtMs, ...prettyFrame(pagesJson(pages)),
    };
  });
}

/** Every row of one kind kept for a charger, newest first (the download behind a cut report). */
export function allReportsJson(store: Store, identity: string, kind: string): string | undefined {
  if (!Object.hasOwn(REPORT_LABELS, kind)) return undefined;
  const rows = store.listChargerReports(identity, kind as ChargerReportKind, { limit: 100_000 });
  return rows.length ? pagesJson(rows) : undefined;
}
