/**
 * What the simulated 2.0.1 station answers to CSMS calls, and what it then does (2.0.1 Part 2 use cases in
 * brackets). Answers go out first; the follow-up messages (TransactionEvent, StatusNotification, NotifyReport,
 * ReportChargingProfiles, ...) leave shortly after as normal calls, as on real stations. Every call is logged in
 * `station.received` and emitted as 'command'. Actions not handled here get NotImplemented from ocpp-rpc.
 */
import type rpc from 'ocpp-rpc';
import type { WireRef } from './device-model201.js';
import { sameToken, type Evse201, type SimulatedStation201 } from './station201.js';

type Client = InstanceType<typeof rpc.RPCClient>;
type Answer = Record<string, unknown>;

const TRIGGERABLE = new Set(['BootNotification', 'Heartbeat', 'StatusNotification', 'MeterValues', 'TransactionEvent', 'FirmwareStatusNotification', 'LogStatusNotification']);

export function registerStation201Handlers(s: SimulatedStation201, client: Client): void {
  const on = (action: string, fn: (p: any) => Promise<Answer> | Answer) =>
    client.handle(action, async ({ params }) => {
      const response = await fn(params);
      s.received.push({ action, params, response });
      s.emit('command', { action, params, response });
      return response;
    });
  const later = (fn: () => Promise<unknown>) => setTimeout(() => void fn().catch((err) => s.failed(err)), 20);
  const evseOf = (id: number | undefined): Evse201 | undefined => s.evses.find((e) => e.id === id);
  const enabled = (component: string) => s.model.get(component, 'Enabled') !== 'false';

  // F01/F02: the transaction starts (Started or Updated, triggerReason RemoteStart, transactionInfo.remoteStartId)
  on('RequestStartTransaction', (p) => {
    const free = (e: Evse201) => !e.transaction?.idToken && e.availability === 'Operative' && !e.faulted
      && (!e.reservation || sameToken(e.reservation.idToken, p.idToken) || sameToken(e.reservation.groupIdToken, p.groupIdToken ?? p.idToken));
    const e = p.evseId !== undefined ? evseOf(p.evseId) : s.evses.find(free);
    if (!e || !free(e)) return { status: 'Rejected', statusInfo: { reasonCode: e ? 'Occupied' : 'UnknownEvse' } };
    if (p.chargingProfile && p.chargingProfile.chargingProfilePurpose !== 'TxProfile') return { status: 'Rejected', statusInfo: { reasonCode: 'InvalidProfile' } };
    const running = e.transaction?.transactionId;
    later(async () => {
      if (s.model.get('AuthCtrlr', 'AuthorizeRemoteStart') === 'true' && (await s.authorize(p.idToken)) !== 'Accepted') return;
      await s.startTransaction(e.id, p.idToken, { remoteStartId: p.remoteStartId, chargingProfile: p.chargingProfile });
    });
    return { status: 'Accepted', ...(running ? { transactionId: running } : {}) };
  });
  // F03
  on('RequestStopTransaction', (p) => {
    const e = s.transaction(p.transactionId);
    if (!e) return { status: 'Rejected' };
    later(() => s.stopTransaction(e.id, { reason: 'Remote' }));
    return { status: 'Accepted' };
  });
  // F05: never unlock under an authorised transaction
  on('UnlockConnector', (p) => {
    const e = evseOf(p.evseId);
    if (!e || !e.connectors.some((c) => c.id === p.connectorId)) return { status: 'UnknownConnector' };
    if (e.transaction?.authorized) return { status: 'OngoingAuthorizedTransaction' };
    if (e.transaction) later(() => s.stopTransaction(e.id, { reason: 'Other', trigger: 'UnlockCommand' }));
    else if (e.plugged !== undefined) later(() => s.unplug(e.id));
    return { status: 'Unlocked' };
  });

  // H01-H04
  on('ReserveNow', (p) => {
    if (!enabled('ReservationCtrlr')) return { status: 'Rejected' };
    const existing = s.evses.find((e) => e.reservation?.id === p.id);
    const e = p.evseId !== undefined ? evseOf(p.evseId) : existing ?? s.evses.find((x) => !x.transaction && x.plugged === undefined && !x.reservation && x.availability === 'Operative' && !x.faulted);
    if (!e) return { status: p.evseId !== undefined ? 'Rejected' : 'Occupied' };
    if (e.faulted) return { status: 'Faulted' };
    if (e.availability === 'Inoperative') return { status: 'Unavailable' };
    if (e.transaction || e.plugged !== undefined || (e.reservation && e.reservation.id !== p.id)) return { status: 'Occupied' };
    // the same id elsewhere moves: the old one ends quietly
    if (existing && existing !== e) later(() => s.removeReservation(existing));
    later(() => s.reserve(e, { id: p.id, idToken: p.idToken, groupIdToken: p.groupIdToken, expiresAt: new Date(p.expiryDateTime) }));
    return { status: 'Accepted' };
  });
  on('CancelReservation', (p) => {
    const e = s.evses.find((x) => x.reservation?.id === p.reservationId);
    if (!e) return { status: 'Rejected' };
    later(() => s.removeReservation(e));
    return { status: 'Accepted' };
  });

  // K01, K08-K10
  on('SetChargingProfile', (p) => {
    if (!enabled('SmartChargingCtrlr')) return { status: 'Rejected', statusInfo: { reasonCode: 'Disabled' } };
    const r = s.profiles.set(p.evseId, p.chargingProfile, Date.now());
    return r.status === 'Accepted' ? { status: 'Accepted' } : { status: 'Rejected', statusInfo: { reasonCode: r.reason! } };
  });
  on('ClearChargingProfile', (p) => ({ status: s.profiles.clear(p) }));
  on('GetChargingProfiles', (p) => {
    const found = s.profiles.query(p);
    if (!found.length) return { status: 'NoProfiles' };
    const evseIds = [...new Set(found.map((x) => x.evseId))];
    later(async () => {
      for (const [i, evseId] of evseIds.entries()) {
        await s.call('ReportChargingProfiles', {
          requestId: p.requestId, chargingLimitSource: 'CSO', evseId, chargingProfile: found.filter((x) => x.evseId === evseId).map((x) => x.profile),
          ...(i < evseIds.length - 1 ? { tbc: true } : {}),
        });
      }
    });
    return { status: 'Accepted' };
  });
  on('GetCompositeSchedule', (p) => {
    if (p.evseId !== 0 && !evseOf(p.evseId)) return { status: 'Rejected', statusInfo: { reasonCode: 'UnknownEvse' } };
    const now = new Date();
    const schedule = s.profiles.composite(p.evseId, p.duration, p.chargingRateUnit, now.getTime());
    return { status: 'Accepted', schedule: { evseId: p.evseId, duration: p.duration, scheduleStart: now.toISOString(), ...schedule } };
  });

  // B11/B12: Immediate restarts now; OnIdle waits for the transactions to end (Scheduled)
  on('Reset', (p) => {
    if (p.evseId !== undefined) return { status: 'Rejected', statusInfo: { reasonCode: 'UnsupportedRequest', additionalInfo: 'EVSE reset not supported' } };
    const busy = s.evses.some((e) => e.transaction);
    if (p.type === 'OnIdle' && busy) {
      s.resetPending = true;
      return { status: 'Scheduled' };
    }
    later(() => s.reboot('RemoteReset').then(() => undefined));
    return { status: 'Accepted' };
  });
  // G03/G04: a running transaction makes it Scheduled; Inoperative removes a reservation (H: Removed)
  on('ChangeAvailability', (p) => {
    const targets = p.evse ? s.evses.filter((e) => e.id === p.evse.id) : s.evses;
    if (!targets.length) return { status: 'Rejected', statusInfo: { reasonCode: 'UnknownEvse' } };
    let scheduled = false;
    for (const e of targets) {
      if (e.transaction) {
        e.pendingAvailability = p.operationalStatus;
        scheduled = true;
        continue;
      }
      e.availability = p.operationalStatus;
      later(async () => {
        if (p.operationalStatus === 'Inoperative') await s.removeReservation(e, 'Removed');
        await s.syncStatus(e.id);
      });
    }
    return { status: scheduled ? 'Scheduled' : 'Accepted' };
  });

  // B05-B07
  on('GetVariables', (p) => ({ getVariableResult: s.model.getVariables(p.getVariableData as WireRef[]) }));
  on('SetVariables', (p) => ({ setVariableResult: s.model.setVariables(p.setVariableData) }));
  on('GetBaseReport', (p) => {
    const items = s.model.report(p.reportBase);
    if (!items.length) return { status: 'EmptyResultSet' };
    const perPage = Number(s.model.get('DeviceDataCtrlr', 'ItemsPerMessage', 'GetReport') ?? 20);
    later(async () => {
      const generatedAt = new Date().toISOString();
      for (let seqNo = 0; seqNo * perPage < items.length; seqNo++) {
        const last = (seqNo + 1) * perPage >= items.length;
        await s.call('NotifyReport', { requestId: p.requestId, generatedAt, seqNo, ...(last ? {} : { tbc: true }), reportData: items.slice(seqNo * perPage, (seqNo + 1) * perPage) });
      }
    });
    return { status: 'Accepted' };
  });

  // F06: the requested message follows as a normal call
  on('TriggerMessage', (p) => {
    if (!TRIGGERABLE.has(p.requestedMessage)) return { status: 'NotImplemented' };
    const evses = p.evse ? s.evses.filter((e) => e.id === p.evse.id) : s.evses;
    if (p.evse && !evses.length) return { status: 'Rejected' };
    const send: Record<string, () => Promise<unknown>> = {
      BootNotification: () => s.boot('Triggered'),
      Heartbeat: () => s.heartbeat(),
      StatusNotification: async () => {
        for (const e of evses) await s.syncStatus(e.id, true);
      },
      MeterValues: async () => {
        for (const e of evses) await s.call('MeterValues', { evseId: e.id, meterValue: [s.meterValue(e, 'Trigger', e.transaction?.chargingState === 'Charging' ? s.powerW(e.id) : 0)] });
      },
      TransactionEvent: async () => {
        for (const e of evses) if (e.transaction) await s.sendEvent(e, 'Updated', 'Trigger', { sample: 'Trigger', powerW: s.powerW(e.id) });
      },
      FirmwareStatusNotification: () => s.call('FirmwareStatusNotification', { status: s.firmwareStatus }),
      LogStatusNotification: () => s.call('LogStatusNotification', { status: 'Idle' }),
    };
    // F06.FR.17: a TransactionEvent trigger without a transaction is rejected
    if (p.requestedMessage === 'TransactionEvent' && !evses.some((e) => e.transaction)) return { status: 'Rejected' };
    later(send[p.requestedMessage]!);
    return { status: 'Accepted' };
  });

  // D01-D02: full replaces, differential needs a newer version; an entry without idTokenInfo is removed
  on('SendLocalList', (p) => {
    if (!enabled('LocalAuthListCtrlr')) return { status: 'Failed', statusInfo: { reasonCode: 'Disabled' } };
    if (p.updateType === 'Differential' && p.versionNumber <= s.localList.version) return { status: 'VersionMismatch' };
    if (p.updateType === 'Full') s.localList.entries.clear();
    for (const entry of p.localAuthorizationList ?? []) {
      const key = entry.idToken.idToken.toLowerCase();
      if (entry.idTokenInfo) s.localList.entries.set(key, { idToken: entry.idToken, idTokenInfo: entry.idTokenInfo });
      else s.localList.entries.delete(key);
    }
    s.localList.version = p.versionNumber;
    return { status: 'Accepted' };
  });
  on('GetLocalListVersion', () => ({ versionNumber: s.localList.version }));
  on('ClearCache', () => {
    if (!enabled('AuthCacheCtrlr')) return { status: 'Rejected' };
    s.authCache.clear();
    return { status: 'Accepted' };
  });
  on('GetTransactionStatus', (p) => ({
    ...(p.transactionId !== undefined ? { ongoingIndicator: !!s.transaction(p.transactionId) } : {}),
    messagesInQueue: s.queued > 0,
  }));
  on('CostUpdated', () => ({}));
  // L01, N01: progress reported as FirmwareStatusNotification / LogStatusNotification
  on('UpdateFirmware', (p) => {
    later(async () => {
      for (const status of ['Downloading', 'Downloaded', 'Installing', 'Installed']) {
        s.firmwareStatus = status;
        await s.call('FirmwareStatusNotification', { status, requestId: p.requestId });
      }
    });
    return { status: 'Accepted' };
  });
  on('GetLog', (p) => {
    later(async () => {
      for (const status of ['Uploading', 'Uploaded']) await s.call('LogStatusNotification', { status, requestId: p.requestId });
    });
    return { status: 'Accepted', filename: `${s.identity}-${p.logType}.log` };
  });
  on('SetNetworkProfile', () => ({ status: 'Accepted' }));
  on('DataTransfer', (p) => (p.vendorId === 'org.firmware-sim' ? { status: 'Accepted', ...(p.data !== undefined ? { data: p.data } : {}) } : { status: 'UnknownVendorId' }));
}
