/**
 * BootNotification (OCPP 2.0.1 B01-B03): Accepted with the heartbeat interval, or Pending/Rejected as the
 * config says (interval = retry delay), the boot reason recorded. Unless Rejected the bridge then reads the
 * device model in the background (GetBaseReport FullInventory; the pages arrive as NotifyReport, B07), and
 * after Accepted it sets OCPPCommCtrlr.HeartbeatInterval to the same interval (B01 allows either way).
 */
import type { ActionHandler, AdapterContext } from '../adapter.js';

export const bootNotification: ActionHandler = async (identity, p, ctx) => {
  const cs = p.chargingStation ?? {};
  const { status, intervalS, at } = ctx.chargers.boot(identity, {
    vendor: cs.vendorName, model: cs.model, serialNumber: cs.serialNumber, firmwareVersion: cs.firmwareVersion,
    reason: p.reason, iccid: cs.modem?.iccid, imsi: cs.modem?.imsi,
  });
  if (status !== 'Rejected') setTimeout(() => void provision(identity, ctx, status === 'Accepted' ? intervalS : undefined), 0);
  return { status, currentTime: at.toISOString(), interval: intervalS };
};

async function provision(identity: string, ctx: AdapterContext, heartbeatIntervalS: number | undefined): Promise<void> {
  const report = await ctx.commands.send(identity, 'getBaseReport', { requestId: Math.floor(Math.random() * 2 ** 31), report: 'FullInventory' });
  if (!report.ok || report.value.status !== 'Accepted') {
    ctx.log.info({ charger: identity, reason: report.ok ? report.value.status : report.reason }, 'could not read the device model');
  }
  if (heartbeatIntervalS === undefined) return;
  const set = await ctx.commands.send(identity, 'setVariables', { items: [{ component: 'OCPPCommCtrlr', variable: 'HeartbeatInterval', value: String(heartbeatIntervalS) }] });
  const result = set.ok ? set.value.results[0]?.status : set.reason;
  if (result !== 'Accepted') ctx.log.info({ charger: identity, result }, 'could not set the heartbeat interval');
}
