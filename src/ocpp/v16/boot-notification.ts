/**
 * BootNotification (OCPP 1.6 §4.2): Accepted with the heartbeat interval, or Pending/Rejected as the config
 * says (interval = retry delay). After Accepted the bridge reads the charger's configuration (1.6 §9) in the
 * background, for the status page and the meter's public key (Eichrecht).
 */
import type { ActionHandler } from '../adapter.js';

export const bootNotification: ActionHandler = async (identity, p, ctx) => {
  const { status, intervalS, at } = ctx.chargers.boot(identity, {
    vendor: p.chargePointVendor, model: p.chargePointModel, serialNumber: p.chargePointSerialNumber ?? p.chargeBoxSerialNumber,
    firmwareVersion: p.firmwareVersion, iccid: p.iccid, imsi: p.imsi, meterType: p.meterType, meterSerialNumber: p.meterSerialNumber,
  });
  if (status !== 'Rejected') setTimeout(() => void readConfiguration(identity, ctx), 0);
  return { status, currentTime: at.toISOString(), interval: intervalS };
};

async function readConfiguration(identity: string, ctx: Parameters<ActionHandler>[2]): Promise<void> {
  const outcome = await ctx.commands.send(identity, 'getConfiguration', {});
  if (!outcome.ok) {
    ctx.log.info({ charger: identity, reason: outcome.reason }, 'could not read the charger configuration');
    return;
  }
  const entries = outcome.value.entries;
  const publicKey = entries.find((e) => /^(MeterPublicKey|MeterPublicKeys|PublicKey)$/i.test(e.key))?.value;
  ctx.chargers.storeConfiguration(identity, { protocol: 'ocpp1.6', keys: entries, unknownKeys: outcome.value.unknownKeys }, publicKey || undefined);
}
