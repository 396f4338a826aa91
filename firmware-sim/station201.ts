/**
 * A simulated OCPP 2.0.1 charging station (ocpp-rpc, strict mode on): EVSEs with connectors and an energy
 * meter rising at a set power (limited by the charging profiles in force), transactions as TransactionEvent
 * Started/Updated/Ended with the station's own string ids and seqNo, the idToken on Started or later (cable
 * first), an offline queue whose events carry `offline: true` and go out in order after reconnect (E12), a
 * small device model, and realistic answers to the CSMS commands (station201-commands.ts). With `signed`, each
 * EVSE's meter signs its transaction readings in OCMF (`signedMeterValue`, J02). Never imports src/.
 */
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import rpc from 'ocpp-rpc';
import { Reconnector } from './reconnect.js';
import { DeviceModel } from './device-model201.js';
import { deviceSerial, OcmfMeter, SIGNING_METHOD, signerFor, type MeterSigner, type ReadingKind, type SignedSetting } from './ocmf.js';
import { Outbox } from './outbox.js';
import { ChargingProfiles, type ChargingProfile } from './smart-charging201.js';
import { buildDeviceModel } from './station201-model.js';
import { registerStation201Handlers } from './station201-commands.js';

export interface Station201Options {
  url: string;
  identity: string;
  /** EVSEs 1..n (default 1), each with `connectorsPerEvse` connectors (default 1). */
  evses?: number;
  connectorsPerEvse?: number;
  password?: string;
  /** What the car draws when nothing limits it (default 11 kW); charging profiles lower it. */
  powerW?: number;
  /** Hardware limit per EVSE (default 32 A). */
  maxCurrentA?: number;
  vendor?: string;
  model?: string;
  serialNumber?: string;
  firmwareVersion?: string;
  /** BootNotification reason of the first boot (default PowerUp). */
  bootReason?: string;
  callTimeoutMs?: number;
  /** Extra ws options (TLS: ca, cert, key). */
  wsOpts?: Record<string, unknown>;
  /** Heartbeats every HeartbeatInterval once accepted (default off: tests call heartbeat()). */
  autoHeartbeat?: boolean;
  /** Reconnects by itself after a connection it did not drop is lost, first after this delay, then backing off to 30 s (default: stays offline). */
  reconnectDelayMs?: number;
  /** Eichrecht: the EVSE meters sign their transaction readings in OCMF (`true`, or a variant and the key; see ocmf.ts). */
  signed?: SignedSetting;
}

export interface IdToken201 { idToken: string; type: string }
export type ConnectorStatus201 = 'Available' | 'Occupied' | 'Reserved' | 'Unavailable' | 'Faulted';

export interface Transaction201 {
  transactionId: string;
  /** The next seqNo (2.0.1 E: 0 on Started, +1 per event). */
  seqNo: number;
  connectorId: number;
  idToken?: IdToken201;
  /** The CSMS accepted the token (TransactionEvent idTokenInfo). */
  authorized: boolean;
  remoteStartId?: number;
  reservationId?: number;
  chargingState: 'Charging' | 'EVConnected' | 'SuspendedEV' | 'SuspendedEVSE' | 'Idle';
  /** chargingState as last sent (it only goes out when it changes). */
  sentChargingState?: string;
  startedAt: Date;
  meterStartWh: number;
  chargingSeconds: number;
  evseSent: boolean;
  keySent: boolean;
  /** A profile that came with RequestStartTransaction, installed once the transaction has its id. */
  pendingProfile?: ChargingProfile;
}

export interface Reservation201 { id: number; idToken: IdToken201; groupIdToken?: IdToken201; expiresAt: Date; timer?: NodeJS.Timeout }

export interface Evse201 {
  id: number;
  connectors: Array<{ id: number; status: ConnectorStatus201; sentStatus?: ConnectorStatus201 }>;
  energyWh: number;
  /** The connector a cable is plugged into. */
  plugged?: number;
  availability: 'Operative' | 'Inoperative';
  pendingAvailability?: 'Operative' | 'Inoperative';
  faulted: boolean;
  reservation?: Reservation201;
  transaction?: Transaction201;
  meter?: OcmfMeter;
}

type Client = InstanceType<typeof rpc.RPCClient>;

const ENERGY = 'Energy.Active.Import.Register';
const TRIGGER_FOR_STOP: Record<string, string> = {
  Local: 'StopAuthorized', Remote: 'RemoteStop', EVDisconnected: 'EVDeparted', ImmediateReset: 'ResetCommand', DeAuthorized: 'Deauthorized',
  EnergyLimitReached: 'EnergyLimitReached', TimeLimitReached: 'TimeLimitReached', Timeout: 'EVConnectTimeout',
};

export const idTokenOf = (t: string | IdToken201): IdToken201 => (typeof t === 'string' ? { idToken: t, type: 'ISO14443' } : t);
export const sameToken = (a: IdToken201 | undefined, b: IdToken201 | undefined) => !!a && !!b && a.idToken.toLowerCase() === b.idToken.toLowerCase();

export class SimulatedStation201 extends EventEmitter {
  readonly evses: Evse201[];
  readonly received: Array<{ action: string; params: any; response: any }> = [];
  readonly sent: Array<{ action: string; params: any; response?: any; error?: string }> = [];
  /** ocpp-rpc strict-mode findings on this side (an off-schema call from the CSMS, or a bug here): tests expect none. */
  readonly strictFailures: unknown[] = [];
  /** Follow-up messages that could not be sent (see failed()). */
  readonly failures: Error[] = [];
  readonly model: DeviceModel;
  readonly profiles: ChargingProfiles;
  readonly signer?: MeterSigner;
  bootStatus: string | undefined;
  heartbeatIntervalS = 300;
  localList = { version: 0, entries: new Map<string, { idToken: IdToken201; idTokenInfo?: Record<string, any> }>() };
  authCache = new Map<string, string>();
  /** OnIdle reset waiting for the transactions to end. */
  resetPending = false;
  firmwareStatus = 'Idle';
  private client?: Client;
  private online = false;
  /** TransactionEvents waiting for the connection and an accepted boot (E12). */
  private readonly outbox = new Outbox({ ready: () => this.ready, send: (action, params) => this.call(action, params) });
  private heartbeatTimer?: NodeJS.Timeout;
  private retryTimer?: NodeJS.Timeout;
  private readonly reconnector = new Reconnector(() => this.goOnline(), () => !this.closed && !this.online, () => this.emit('reconnected'));
  private closed = false;
  private eventId = 0;

  constructor(readonly o: Station201Options) {
    super();
    this.signer = signerFor(o.identity, o.signed);
    this.evses = Array.from({ length: o.evses ?? 1 }, (_, i) => ({
      id: i + 1, energyWh: 0, availability: 'Operative' as const, faulted: false,
      connectors: Array.from({ length: o.connectorsPerEvse ?? 1 }, (_, j) => ({ id: j + 1, status: 'Available' as ConnectorStatus201 })),
    }));
    for (const e of this.evses) {
      if (this.signer) e.meter = new OcmfMeter(this.signer, { gatewayId: `${this.vendor} ${this.modelName}`, gatewaySerial: this.serialNumber, gatewayFirmware: this.firmwareVersion, meterSerial: `${this.serialNumber}-M${e.id}`, chargePointId: `${o.identity} ${e.id}` });
    }
    this.profiles = new ChargingProfiles({
      evseIds: this.evses.map((e) => e.id), maxCurrentA: o.maxCurrentA ?? 32, maxPowerW: Math.round((o.maxCurrentA ?? 32) * 230 * 3),
      transactionOn: (id) => {
        const tx = this.evses.find((e) => e.id === id)?.transaction;
        return tx && { id: tx.transactionId, startedAtMs: tx.startedAt.getTime() };
      },
    });
    this.model = buildDeviceModel(this);
    this.model.onChange = (v) => {
      if (v.component === 'OCPPCommCtrlr' && v.variable === 'HeartbeatInterval') this.heartbeatIntervalS = Number(v.value);
      this.startHeartbeats();
    };
  }

  get identity(): string {
    return this.o.identity;
  }

  get vendor(): string {
    return this.o.vendor ?? 'Simulated';
  }

  get modelName(): string {
    return this.o.model ?? 'SIM-201';
  }

  get serialNumber(): string {
    return this.o.serialNumber ?? deviceSerial('SIM201', this.o.identity);
  }

  get firmwareVersion(): string {
    return this.o.firmwareVersion ?? '1.0.0';
  }

  get isOnline(): boolean {
    return this.online;
  }

  /** Connected and accepted: the station may send more than configuration traffic (B02). */
  private get ready(): boolean {
    return this.online && this.bootStatus === 'Accepted';
  }

  /** Transaction messages waiting for the connection (or for an Accepted boot). */
  get queued(): number {
    return this.outbox.length;
  }

  /** The meter key (DER SPKI, upper-case hex) to put in the bridge config; only with `signed`. */
  publicKeyHex(): string {
    if (!this.signer) throw new Error(`${this.identity} does not sign its meter values`);
    return this.signer.publicKeyHex();
  }

  evse(id: number): Evse201 {
    const e = this.evses.find((x) => x.id === id);
    if (!e) throw new Error(`no EVSE ${id}`);
    return e;
  }

  transaction(transactionId: string): Evse201 | undefined {
    return this.evses.find((e) => e.transaction?.transactionId === transactionId);
  }

  // ---- connection -------------------------------------------------------------------------------------

  /** Opens the WebSocket and boots (B01); Pending/Rejected boots are retried after the interval the CSMS gave. */
  async connect(reason = this.o.bootReason ?? 'PowerUp'): Promise<void> {
    this.closed = false;
    this.bootStatus = undefined; // a new boot: nothing but the BootNotification until it is answered
    await this.open();
    await this.boot(reason);
  }

  private async open(): Promise<void> {
    const client = new rpc.RPCClient({
      endpoint: this.o.url, identity: this.o.identity, protocols: ['ocpp2.0.1'], strictMode: true,
      // A01: a BasicAuthPassword set by the CSMS is used from the next connection on
      password: this.model.get('SecurityCtrlr', 'BasicAuthPassword') || this.o.password,
      reconnect: false, callTimeoutMs: this.o.callTimeoutMs ?? 30_000, wsOpts: this.o.wsOpts,
    } as never);
    registerStation201Handlers(this, client);
    client.on('strictValidationFailure', (e: unknown) => this.strictFailures.push(e));
    client.on('close', () => {
      if (this.client === client) {
        this.online = false;
        this.client = undefined;
        this.stopTimers();
        if (!this.closed && this.o.reconnectDelayMs !== undefined) this.reconnector.after(this.o.reconnectDelayMs);
      }
      this.emit('disconnected');
    });
    await client.connect();
    this.client = client;
    this.online = true;
  }

  /** BootNotification; after Accepted every connector's status, then the queued transaction messages. */
  async boot(reason: string): Promise<string> {
    const res = await this.call('BootNotification', {
      chargingStation: { vendorName: this.vendor, model: this.modelName, serialNumber: this.serialNumber, firmwareVersion: this.firmwareVersion }, reason,
    });
    this.bootStatus = res.status;
    if (res.status !== 'Accepted') {
      // B02/B03: try again after `interval` (0: the station chooses)
      clearTimeout(this.retryTimer);
      this.retryTimer = setTimeout(() => void this.boot(reason).catch(() => undefined), (res.interval || 30) * 1000);
      this.retryTimer.unref();
      return res.status;
    }
    this.heartbeatIntervalS = res.interval > 0 ? res.interval : this.heartbeatIntervalS;
    this.model.put('OCPPCommCtrlr', 'HeartbeatInterval', String(this.heartbeatIntervalS));
    this.startHeartbeats();
    await this.reportAllStatuses();
    await this.outbox.flush();
    this.emit('booted');
    return res.status;
  }

  /** Drops the connection abruptly (network loss); transaction messages are queued from now on. */
  goOffline(): void {
    this.online = false;
    this.stopTimers();
    const client = this.client;
    this.client = undefined;
    void client?.close({ force: true }).catch(() => undefined);
  }

  /** Reconnects without a new boot (the station did not restart), reports every status (offline longer than OfflineThreshold) and replays the queue. */
  async goOnline(): Promise<void> {
    await this.open();
    if (this.bootStatus !== 'Accepted') {
      await this.boot('PowerUp');
      return;
    }
    this.startHeartbeats();
    await this.reportAllStatuses();
    await this.outbox.flush();
  }


  async close(): Promise<void> {
    this.closed = true;
    this.online = false;
    this.stopTimers();
    clearTimeout(this.retryTimer);
    this.reconnector.cancel();
    for (const e of this.evses) clearTimeout(e.reservation?.timer);
    await this.client?.close({ force: true }).catch(() => undefined);
  }

  /** Restarts: running transactions end (ImmediateReset), the connection drops, the station boots again. */
  async reboot(reason = 'RemoteReset'): Promise<void> {
    for (const e of this.evses) if (e.transaction) await this.stopTransaction(e.id, { reason: 'ImmediateReset' });
    this.goOffline();
    await new Promise((r) => setTimeout(r, 50));
    if (this.closed) return;
    await this.connect(reason);
    this.emit('rebooted');
  }

  private startHeartbeats(): void {
    clearInterval(this.heartbeatTimer);
    if (!this.o.autoHeartbeat || !this.online || this.heartbeatIntervalS <= 0) return;
    this.heartbeatTimer = setInterval(() => void this.heartbeat().catch(() => undefined), this.heartbeatIntervalS * 1000);
    this.heartbeatTimer.unref();
  }

  private stopTimers(): void {
    clearInterval(this.heartbeatTimer);
  }

  /**
   * A station -> CSMS call. Transaction messages (`queueable`) wait in order while offline or not yet accepted
   * (B02: nothing but configuration traffic before Accepted) and behind earlier queued ones; others fail offline.
   */
  async call(action: string, params: Record<string, any>, queueable = false): Promise<any> {
    if (queueable && (!this.ready || this.outbox.length)) return this.outbox.push(action, params, undefined);
    if (!this.client || !this.online) throw new Error(`${this.identity} is offline`);
    try {
      const response = await this.client.call(action, params);
      this.sent.push({ action, params, response });
      return response;
    } catch (err) {
      this.sent.push({ action, params, error: (err as Error).message });
      throw err;
    }
  }

  /**
   * A follow-up that failed (e.g. the connection dropped before the NotifyReport went out): kept in `failures`
   * and emitted as 'error' when someone listens (an unheard 'error' would crash the process).
   */
  failed(err: unknown): void {
    this.failures.push(err as Error);
    if (this.listenerCount('error')) this.emit('error', err);
  }

  // ---- station -> CSMS ---------------------------------------------------------------------------------

  async heartbeat(): Promise<string> {
    return (await this.call('Heartbeat', {})).currentTime;
  }

  async authorize(token: string | IdToken201): Promise<string> {
    const idToken = idTokenOf(token);
    const res = await this.call('Authorize', { idToken });
    if (this.model.get('AuthCacheCtrlr', 'Enabled') !== 'false') this.authCache.set(idToken.idToken.toLowerCase(), res.idTokenInfo.status);
    return res.idTokenInfo.status;
  }

  /** What a connector shows, derived from the EVSE's state (G01; a used EVSE makes its other connectors Unavailable). */
  private connectorStatus(e: Evse201, connectorId: number): ConnectorStatus201 {
    if (e.faulted) return 'Faulted';
    const inUse = e.plugged !== undefined || e.transaction !== undefined;
    const usedConnector = e.transaction?.connectorId ?? e.plugged;
    if (inUse) return usedConnector === connectorId ? 'Occupied' : 'Unavailable';
    if (e.availability === 'Inoperative') return 'Unavailable';
    if (e.reservation) return 'Reserved';
    return 'Available';
  }

  /**
   * Sends StatusNotification for each connector of the EVSE whose status changed, once accepted (after a boot all
   * are reported anyway), or for all of them when `force` (after boot, or asked by TriggerMessage).
   */
  async syncStatus(evseId: number, force = false): Promise<void> {
    const e = this.evse(evseId);
    for (const c of e.connectors) {
      c.status = this.connectorStatus(e, c.id);
      if (!this.online || (!force && (!this.ready || c.sentStatus === c.status))) continue;
      c.sentStatus = c.status;
      await this.call('StatusNotification', { timestamp: new Date().toISOString(), connectorStatus: c.status, evseId: e.id, connectorId: c.id }).catch(() => (c.sentStatus = undefined));
    }
  }

  async reportAllStatuses(): Promise<void> {
    for (const e of this.evses) await this.syncStatus(e.id, true);
  }

  /**
   * The EVSE breaks (or is repaired): NotifyEvent EVSE.Problem (2.0.1 has no errorCode; N07), then the status;
   * a reservation on it is removed (H01: ReservationStatusUpdate Removed).
   */
  async setFaulted(evseId: number, faulted: boolean, techInfo?: string): Promise<void> {
    const e = this.evse(evseId);
    e.faulted = faulted;
    if (this.ready) {
      await this.call('NotifyEvent', {
        generatedAt: new Date().toISOString(), seqNo: 0,
        eventData: [{
          eventId: ++this.eventId, timestamp: new Date().toISOString(), trigger: 'Delta', actualValue: String(faulted), ...(faulted ? {} : { cleared: true }),
          ...(faulted && techInfo ? { techInfo } : {}), component: { name: 'EVSE', evse: { id: evseId } }, variable: { name: 'Problem' }, eventNotificationType: 'HardWiredNotification',
        }],
      });
    }
    if (faulted) await this.removeReservation(e, 'Removed');
    await this.syncStatus(evseId);
  }

  // ---- transactions -----------------------------------------------------------------------------------

  private txStartPoints(): string[] {
    return (this.model.get('TxCtrlr', 'TxStartPoint') ?? 'PowerPathClosed').split(',');
  }

  /** A cable goes in; with TxStartPoint EVConnected the transaction starts now, without a token (E02, cable first). */
  async plugIn(evseId: number, connectorId = 1): Promise<void> {
    const e = this.evse(evseId);
    if (e.plugged !== undefined) return;
    e.plugged = connectorId;
    await this.syncStatus(evseId);
    const points = this.txStartPoints();
    if (!e.transaction && (points.includes('EVConnected') || points.includes('ParkingBayOccupancy'))) {
      this.newTransaction(e, connectorId, 'EVConnected');
      await this.delivered(this.sendEvent(e, 'Started', 'CablePluggedIn', { begin: true }));
    }
  }

  private newTransaction(e: Evse201, connectorId: number, chargingState: Transaction201['chargingState']): Transaction201 {
    e.transaction = {
      transactionId: randomUUID(), seqNo: 0, connectorId, authorized: false, chargingState, startedAt: new Date(),
      meterStartWh: Math.round(e.energyWh), chargingSeconds: 0, evseSent: false, keySent: false,
    };
    return e.transaction;
  }

  /** What the station knows about a token without asking: the local list first, then the authorization cache (C13, C14). */
  localAuthorization(idToken: IdToken201): string | undefined {
    const key = idToken.idToken.toLowerCase();
    if (this.model.get('LocalAuthListCtrlr', 'Enabled') !== 'false') {
      const entry = this.localList.entries.get(key);
      if (entry) return entry.idTokenInfo?.status;
    }
    return this.model.get('AuthCacheCtrlr', 'Enabled') !== 'false' ? this.authCache.get(key) : undefined;
  }

  /**
   * C01/C13-C15 for a token presented at the station: online it is sent in an Authorize (unless LocalPreAuthorize
   * and the local list or cache already accept it); offline the local list or cache decide, and an unknown token
   * only passes with OfflineTxForUnknownIdEnabled.
   */
  private async authorizeLocally(idToken: IdToken201): Promise<string> {
    const local = this.localAuthorization(idToken);
    if (this.ready) {
      if (local === 'Accepted' && this.model.get('AuthCtrlr', 'LocalPreAuthorize') === 'true') return 'Accepted';
      return this.authorize(idToken);
    }
    if (this.model.get('AuthCtrlr', 'LocalAuthorizeOffline') === 'false') return 'Unknown';
    if (local !== undefined) return local;
    return this.model.get('AuthCtrlr', 'OfflineTxForUnknownIdEnabled') === 'true' ? 'Accepted' : 'Unknown';
  }

  /**
   * A driver presents a token (or the CSMS starts remotely: `remoteStartId`) on an EVSE: the token is authorised
   * (C01, not for remote starts), the cable plugged in if needed, and the transaction starts (Started with the
   * idToken), or the one the cable started is authorised (Updated, Authorized). Resolves with the CSMS's verdict
   * once delivered; offline at once with status 'Queued'. A token refused before the start gives its status and
   * transactionId '' (or the id of the cable-first transaction, which keeps running unauthorised). A token the
   * TransactionEvent answer refuses ends the transaction when TxCtrlr.StopTxOnInvalidId is true (E05).
   */
  async startTransaction(evseId: number, token: string | IdToken201, opts: { remoteStartId?: number; chargingProfile?: ChargingProfile; connectorId?: number } = {}): Promise<{ transactionId: string; status: string }> {
    const e = this.evse(evseId);
    const idToken = idTokenOf(token);
    if (e.transaction?.idToken) throw new Error(`EVSE ${evseId} is busy`);
    if (e.availability === 'Inoperative' || e.faulted) throw new Error(`EVSE ${evseId} is not available`);
    if (e.reservation && !sameToken(e.reservation.idToken, idToken) && !sameToken(e.reservation.groupIdToken, idToken)) throw new Error(`EVSE ${evseId} is reserved for another token`);
    if (opts.remoteStartId === undefined) {
      const status = await this.authorizeLocally(idToken);
      if (status !== 'Accepted') return { transactionId: e.transaction?.transactionId ?? '', status };
    }
    const reservationId = e.reservation?.id;
    if (e.reservation) {
      clearTimeout(e.reservation.timer);
      e.reservation = undefined; // H03: used up by this transaction, no ReservationStatusUpdate
    }
    if (e.plugged === undefined) await this.plugIn(evseId, opts.connectorId ?? 1);
    const trigger = opts.remoteStartId !== undefined ? 'RemoteStart' : 'Authorized';
    let pending: Promise<any>;
    let tx = e.transaction;
    if (tx) {
      Object.assign(tx, { idToken, remoteStartId: opts.remoteStartId, reservationId, chargingState: 'Charging' as const, pendingProfile: opts.chargingProfile });
      pending = this.sendEvent(e, 'Updated', trigger);
    } else {
      tx = this.newTransaction(e, e.plugged!, 'Charging');
      Object.assign(tx, { idToken, remoteStartId: opts.remoteStartId, reservationId, pendingProfile: opts.chargingProfile });
      pending = this.sendEvent(e, 'Started', trigger, { begin: true });
    }
    if (tx.pendingProfile) {
      this.profiles.set(e.id, { ...tx.pendingProfile, transactionId: tx.transactionId }, Date.now());
      tx.pendingProfile = undefined;
    }
    await this.syncStatus(evseId);
    const transactionId = tx.transactionId;
    const verdict = (res: any) => {
      const status: string = res?.idTokenInfo?.status ?? 'Accepted';
      if (e.transaction?.transactionId === transactionId) e.transaction.authorized = status === 'Accepted';
      return status;
    };
    if (!this.ready) {
      tx.authorized = true; // offline: authorised locally (AuthCtrlr.LocalAuthorizeOffline)
      void pending.then(verdict, () => undefined);
      return { transactionId, status: 'Queued' };
    }
    const status = verdict(await pending);
    if (status !== 'Accepted' && this.model.get('TxCtrlr', 'StopTxOnInvalidId') === 'true' && e.transaction?.transactionId === transactionId) {
      await this.stopTransaction(evseId, { reason: 'DeAuthorized', unplug: false });
    }
    return { transactionId, status };
  }

  /** The power drawn now: the car's wish, capped by the charging limit in force (K08). */
  powerW(evseId: number): number {
    return Math.min(this.o.powerW ?? 11_000, this.profiles.limit(evseId, Date.now(), 'W'));
  }

  /**
   * Simulated time passes on an EVSE: energy rises while charging; a TransactionEvent Updated goes out during a
   * transaction (MeterValuePeriodic, or ChargingStateChanged when a limit of 0 suspends charging or a new limit
   * resumes it: SuspendedEVSE), a MeterValues outside one (dropped while offline).
   */
  async advance(evseId: number, seconds: number): Promise<void> {
    const e = this.evse(evseId);
    const tx = e.transaction;
    let trigger = 'MeterValuePeriodic';
    if (tx && (tx.chargingState === 'Charging' || tx.chargingState === 'SuspendedEVSE')) {
      const next = this.powerW(evseId) > 0 ? 'Charging' : 'SuspendedEVSE';
      if (next !== tx.chargingState) {
        tx.chargingState = next;
        trigger = 'ChargingStateChanged';
      }
    }
    const charging = tx?.chargingState === 'Charging';
    const powerW = charging ? this.powerW(evseId) : 0;
    e.energyWh += (powerW * seconds) / 3600;
    if (tx) {
      if (charging) tx.chargingSeconds += seconds;
      await this.delivered(this.sendEvent(e, 'Updated', trigger, { sample: 'Sample.Periodic', powerW }));
      return;
    }
    if (!this.ready) return;
    await this.call('MeterValues', { evseId, meterValue: [this.meterValue(e, 'Sample.Periodic', powerW)] });
  }

  /**
   * Ends the transaction on an EVSE (Ended with the Transaction.End register). `reason` is the 2.0.1 stoppedReason
   * (default Local); the cable comes out afterwards unless `unplug: false`.
   */
  async stopTransaction(evseId: number, opts: { reason?: string; trigger?: string; unplug?: boolean } = {}): Promise<void> {
    const e = this.evse(evseId);
    const tx = e.transaction;
    if (!tx) throw new Error(`no transaction on EVSE ${evseId}`);
    const reason = opts.reason ?? 'Local';
    const unplug = opts.unplug ?? true;
    tx.chargingState = unplug ? 'Idle' : 'EVConnected';
    const ended = this.sendEvent(e, 'Ended', opts.trigger ?? TRIGGER_FOR_STOP[reason] ?? 'AbnormalCondition', { end: true, stoppedReason: reason });
    e.transaction = undefined;
    this.profiles.transactionEnded(tx.transactionId);
    if (unplug) e.plugged = undefined;
    if (e.pendingAvailability) {
      e.availability = e.pendingAvailability;
      e.pendingAvailability = undefined;
    }
    if (await this.delivered(ended)) await this.syncStatus(evseId);
    if (this.resetPending && this.evses.every((x) => !x.transaction)) {
      this.resetPending = false;
      setTimeout(() => void this.reboot('RemoteReset').catch((err) => this.failed(err)), 20);
    }
  }

  /** Waits for a queued transaction message while connected; offline it stays queued and this returns false at once. */
  private async delivered(pending: Promise<unknown>): Promise<boolean> {
    if (this.ready) {
      await pending;
      return true;
    }
    void pending.catch(() => undefined);
    return false;
  }

  /** The car stops drawing (full, or its own timer) or wants energy again: SuspendedEV <-> Charging. */
  async suspendByEv(evseId: number, suspended: boolean): Promise<void> {
    const e = this.evse(evseId);
    const tx = e.transaction;
    if (!tx) throw new Error(`no transaction on EVSE ${evseId}`);
    const next = suspended ? 'SuspendedEV' : this.powerW(evseId) > 0 ? 'Charging' : 'SuspendedEVSE';
    if (next === tx.chargingState) return;
    tx.chargingState = next;
    await this.delivered(this.sendEvent(e, 'Updated', 'ChargingStateChanged', { sample: 'Sample.Periodic', powerW: next === 'Charging' ? this.powerW(evseId) : 0 }));
  }

  /** The cable comes out: ends the transaction (EVDeparted) or frees the connector. */
  async unplug(evseId: number): Promise<void> {
    const e = this.evse(evseId);
    if (e.transaction) return this.stopTransaction(evseId, { reason: 'EVDisconnected' });
    e.plugged = undefined;
    await this.syncStatus(evseId);
  }

  /** MeterValueType: the energy register (signed when the meter signs, during a transaction) and the power. */
  meterValue(e: Evse201, context: string, powerW?: number, signed?: ReadingKind): Record<string, any> {
    const at = new Date();
    const energyWh = Math.round(e.energyWh);
    const tx = e.transaction;
    const energy: Record<string, any> = { value: energyWh, context, measurand: ENERGY, location: 'Outlet', unitOfMeasure: { unit: 'Wh', multiplier: 0 } };
    if (signed && e.meter && tx && this.model.get('SampledDataCtrlr', 'SignReadings') !== 'false') {
      const ocmf = e.meter.record({ kind: signed, at, energyWh, idTag: tx.idToken?.idToken, idTokenType: tx.idToken?.type });
      const keyMode = this.model.get('OCPPCommCtrlr', 'PublicKeyWithSignedMeterValue') ?? 'OncePerTransaction';
      const withKey = keyMode === 'EveryMeterValue' || (keyMode === 'OncePerTransaction' && !tx.keySent);
      if (withKey) tx.keySent = true;
      energy.signedMeterValue = {
        signedMeterData: Buffer.from(ocmf, 'utf8').toString('base64'), signingMethod: SIGNING_METHOD, encodingMethod: 'OCMF',
        publicKey: withKey ? this.signer!.publicKeyBase64() : '',
      };
    }
    const values = [energy];
    if (powerW !== undefined) values.push({ value: Math.round(powerW), context, measurand: 'Power.Active.Import', location: 'Outlet', unitOfMeasure: { unit: 'W', multiplier: 0 } });
    return { timestamp: at.toISOString(), sampledValue: values };
  }

  /**
   * One TransactionEvent of the EVSE's transaction, queued in order with the others (E12: `offline: true` when it
   * happened while the station was offline). Resolves with the CSMS answer once delivered.
   */
  sendEvent(e: Evse201, eventType: 'Started' | 'Updated' | 'Ended', triggerReason: string, o: { begin?: boolean; end?: boolean; sample?: string; powerW?: number; stoppedReason?: string } = {}): Promise<any> {
    const tx = e.transaction!;
    const meterValue = o.begin ? [this.meterValue(e, 'Transaction.Begin', undefined, 'begin')]
      : o.end ? [this.meterValue(e, 'Transaction.End', undefined, 'end')]
        : o.sample ? [this.meterValue(e, o.sample, o.powerW, o.sample === 'Sample.Periodic' ? 'sample' : undefined)] : undefined;
    const stateChanged = tx.sentChargingState !== tx.chargingState;
    tx.sentChargingState = tx.chargingState;
    const idTokenNow = tx.idToken && (eventType !== 'Updated' || triggerReason === 'Authorized' || triggerReason === 'RemoteStart') ? tx.idToken : undefined;
    const params = {
      eventType, timestamp: new Date().toISOString(), triggerReason, seqNo: tx.seqNo++,
      transactionInfo: {
        transactionId: tx.transactionId, ...(stateChanged ? { chargingState: tx.chargingState } : {}),
        ...(eventType !== 'Started' ? { timeSpentCharging: Math.round(tx.chargingSeconds) } : {}),
        ...(o.stoppedReason ? { stoppedReason: o.stoppedReason } : {}),
        ...(tx.remoteStartId !== undefined && (eventType === 'Started' || triggerReason === 'RemoteStart') ? { remoteStartId: tx.remoteStartId } : {}),
      },
      ...(!this.online ? { offline: true } : {}),
      ...(!tx.evseSent ? { evse: { id: e.id, connectorId: tx.connectorId } } : {}),
      ...(idTokenNow ? { idToken: idTokenNow } : {}),
      ...(tx.reservationId !== undefined && (eventType === 'Started' || triggerReason === 'RemoteStart' || triggerReason === 'Authorized') ? { reservationId: tx.reservationId } : {}),
      ...(meterValue ? { meterValue } : {}),
    };
    tx.evseSent = true;
    return this.call('TransactionEvent', params, true);
  }

  // ---- reservations -----------------------------------------------------------------------------------

  /** H01: the EVSE shows Reserved until used, cancelled, or it expires (ReservationStatusUpdate Expired). */
  async reserve(e: Evse201, r: Omit<Reservation201, 'timer'>): Promise<void> {
    clearTimeout(e.reservation?.timer);
    const reservation: Reservation201 = { ...r };
    reservation.timer = setTimeout(() => void this.removeReservation(e, 'Expired', reservation.id).catch((err) => this.failed(err)), Math.max(0, r.expiresAt.getTime() - Date.now()));
    reservation.timer.unref();
    e.reservation = reservation;
    await this.syncStatus(e.id);
  }

  /** Ends a reservation; `status` sends ReservationStatusUpdate (Expired / Removed), a CSMS cancel sends none. */
  async removeReservation(e: Evse201, status?: 'Expired' | 'Removed', onlyId?: number): Promise<void> {
    const r = e.reservation;
    if (!r || (onlyId !== undefined && r.id !== onlyId)) return;
    clearTimeout(r.timer);
    e.reservation = undefined;
    if (status && this.ready) await this.call('ReservationStatusUpdate', { reservationId: r.id, reservationUpdateStatus: status }).catch(() => undefined);
    await this.syncStatus(e.id);
  }
}
