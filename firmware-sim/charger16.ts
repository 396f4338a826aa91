/**
 * A simulated OCPP 1.6J charge point (ocpp-rpc, strict mode on): connectors with an energy meter rising at a
 * set power, transactions, an offline queue for transaction messages (OCPP 1.6 §3.4: delivered in order after
 * reconnect), and realistic answers to every central-system command (a RemoteStart really starts a
 * transaction, a ChangeAvailability really changes status, a Reset reboots). With `signed`, each connector's
 * meter signs its transaction readings in OCMF (SignedData values, ocmf.ts). Never imports src/.
 */
import { EventEmitter } from 'node:events';
import rpc from 'ocpp-rpc';
import { Reconnector } from './reconnect.js';
import { deviceSerial, OcmfMeter, signerFor, type MeterSigner, type SignedSetting } from './ocmf.js';
import { Outbox } from './outbox.js';

export interface Charger16Options {
  url: string;
  identity: string;
  connectors?: number;
  password?: string;
  powerW?: number;
  vendor?: string;
  model?: string;
  firmwareVersion?: string;
  serialNumber?: string;
  callTimeoutMs?: number;
  /** Extra ws options (TLS: ca, cert, key). */
  wsOpts?: Record<string, unknown>;
  /** Reconnects (and boots) by itself after a connection it did not drop is lost, first after this delay, then backing off to 30 s (default: stays offline). */
  reconnectDelayMs?: number;
  /**
   * Eichrecht: every connector's meter signs its transaction readings in OCMF (`true`, or a variant and the
   * key; see ocmf.ts). The begin record goes out in a MeterValues right after StartTransaction (1.6 cannot
   * carry it there), periodic ones beside the raw values, begin + end in StopTransaction.transactionData.
   */
  signed?: SignedSetting;
}

export interface Connector16 {
  id: number;
  status: string;
  errorCode: string;
  energyWh: number;
  /** The central system's id; negative while the StartTransaction waits in the offline queue. */
  transactionId?: number;
  idTag?: string;
  /** Time and register of the running transaction's start (for the signed begin record and transactionData). */
  start?: { at: string; energyWh: number; signedBegin?: string };
  meter?: OcmfMeter;
  reservation?: { id: number; idTag: string; expiresAt: number };
  availability: 'Operative' | 'Inoperative';
  pendingAvailability?: 'Operative' | 'Inoperative';
}

type Client = InstanceType<typeof rpc.RPCClient>;
const ENERGY = 'Energy.Active.Import.Register';

const now = () => new Date().toISOString();

export class SimulatedCharger16 extends EventEmitter {
  readonly connectors: Connector16[];
  readonly configuration = new Map<string, { value: string; readonly: boolean }>();
  readonly received: Array<{ action: string; params: any; response: any }> = [];
  readonly sent: Array<{ action: string; params: any; response?: any; error?: string }> = [];
  /** ocpp-rpc strict-mode findings on this side (an off-schema call from the central system, or a bug here): tests expect none. */
  readonly strictFailures: unknown[] = [];
  bootStatus: string | undefined;
  localList = { version: 0, entries: new Map<string, string>() };
  profiles: Array<Record<string, any>> = [];
  private client?: Client;
  private online = false;
  private closed = false;
  private readonly reconnector = new Reconnector(() => this.connect(), () => !this.closed && !this.online, () => this.emit('reconnected'));
  /** Transaction messages waiting for the connection (OCPP 1.6 §3.4); `placeholder` marks an offline StartTransaction. */
  private readonly outbox = new Outbox<{ connectorId: number; placeholder?: number }>({
    ready: () => this.online,
    send: (action, params) => this.call(action, params),
    // a queued message of a transaction that started offline gets the id the central system gave meanwhile
    beforeSend: (item) => {
      const id = item.params.transactionId;
      if (item.action !== 'StartTransaction' && id < 0 && this.placeholders.has(id)) item.params.transactionId = this.placeholders.get(id);
    },
    afterSend: (item, response) => {
      if (item.meta.placeholder !== undefined) this.resolvePlaceholder(item.meta.connectorId, item.meta.placeholder, response.transactionId);
    },
  });
  /** Offline-started transactions: placeholder id -> the id the central system gave once the start was delivered. */
  private placeholders = new Map<number, number>();
  private nextPlaceholder = -1;
  readonly signer?: MeterSigner;

  constructor(readonly o: Charger16Options) {
    super();
    this.signer = signerFor(o.identity, o.signed);
    this.connectors = Array.from({ length: o.connectors ?? 1 }, (_, i) => ({ id: i + 1, status: 'Available', errorCode: 'NoError', energyWh: 0, availability: 'Operative' }));
    for (const c of this.connectors) {
      if (this.signer) c.meter = new OcmfMeter(this.signer, { gatewayId: `${this.vendor} ${this.model}`, gatewaySerial: this.serialNumber, gatewayFirmware: this.firmwareVersion, meterSerial: `${this.serialNumber}-M${c.id}`, chargePointId: `${o.identity} ${c.id}` });
    }
    for (const [key, value, readonly] of [
      ['HeartbeatInterval', '300', false], ['MeterValueSampleInterval', '60', false], ['AuthorizeRemoteTxRequests', 'false', false],
      ['NumberOfConnectors', String(this.connectors.length), true], ['SupportedFeatureProfiles', 'Core,FirmwareManagement,LocalAuthListManagement,Reservation,SmartCharging,RemoteTrigger', true],
      ['LocalAuthListEnabled', 'true', false], ['MeterValuesSampledData', 'Energy.Active.Import.Register,Power.Active.Import', false],
    ] as const) this.configuration.set(key, { value, readonly });
    // Eichrecht: the meter key as chargers publish it in a (vendor-specific) configuration key
    if (this.signer) this.configuration.set('MeterPublicKey', { value: this.signer.publicKeyHex(), readonly: true });
  }

  get identity(): string {
    return this.o.identity;
  }

  private get vendor(): string {
    return this.o.vendor ?? 'Simulated';
  }

  private get model(): string {
    return this.o.model ?? 'SIM-16';
  }

  private get firmwareVersion(): string {
    return this.o.firmwareVersion ?? '1.0.0';
  }

  get serialNumber(): string {
    return this.o.serialNumber ?? deviceSerial('SIM16', this.o.identity);
  }

  /** The meter key (DER SPKI, upper-case hex) to put in the bridge config; only with `signed`. */
  publicKeyHex(): string {
    if (!this.signer) throw new Error(`${this.identity} does not sign its meter values`);
    return this.signer.publicKeyHex();
  }

  connector(id: number): Connector16 {
    const c = this.connectors.find((x) => x.id === id);
    if (!c) throw new Error(`no connector ${id}`);
    return c;
  }

  /** Opens the WebSocket, boots (retrying while Pending) and reports every connector's status. */
  async connect(): Promise<void> {
    this.closed = false;
    const client = new rpc.RPCClient({
      endpoint: this.o.url, identity: this.o.identity, protocols: ['ocpp1.6'], strictMode: true, password: this.o.password,
      reconnect: false, callTimeoutMs: this.o.callTimeoutMs ?? 30_000, wsOpts: this.o.wsOpts,
    } as never);
    this.registerHandlers(client);
    client.on('strictValidationFailure', (e: unknown) => this.strictFailures.push(e));
    client.on('close', () => {
      if (this.client === client) {
        this.online = false;
        this.client = undefined;
        if (!this.closed && this.o.reconnectDelayMs !== undefined) this.reconnector.after(this.o.reconnectDelayMs);
      }
      this.emit('disconnected');
    });
    await client.connect();
    this.client = client;
    this.online = true;
    const boot = (await client.call('BootNotification', this.bootPayload())) as any;
    this.bootStatus = boot.status;
    if (boot.status !== 'Accepted') return;
    await this.status(0);
    for (const c of this.connectors) await this.status(c.id);
    await this.outbox.flush();
    this.emit('booted');
  }

  private bootPayload(): Record<string, string> {
    return {
      chargePointVendor: this.vendor, chargePointModel: this.model, chargePointSerialNumber: this.serialNumber, firmwareVersion: this.firmwareVersion,
      ...(this.signer ? { meterType: 'SIM-MID-3PH', meterSerialNumber: `${this.serialNumber}-M1` } : {}),
    };
  }

  /** Drops the connection abruptly (network loss); transaction messages are queued from now on. */
  goOffline(): void {
    this.online = false;
    const client = this.client;
    this.client = undefined;
    void client?.close({ force: true }).catch(() => undefined);
  }

  async goOnline(): Promise<void> {
    await this.connect();
  }


  async close(): Promise<void> {
    this.closed = true;
    this.reconnector.cancel();
    this.online = false;
    await this.client?.close({ force: true }).catch(() => undefined);
  }

  /** A CP->CS call; transaction messages are queued while offline and sent in order, others fail. */
  private async call(action: string, params: Record<string, any>, queueable = false, connectorId = 0, placeholder?: number): Promise<any> {
    if (queueable && (!this.online || this.outbox.length || placeholder !== undefined)) return this.outbox.push(action, params, { connectorId, placeholder });
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

  async status(connectorId: number, status?: string, errorCode = 'NoError', info?: string): Promise<void> {
    const c = connectorId === 0 ? undefined : this.connector(connectorId);
    if (c && status) {
      c.status = status;
      c.errorCode = errorCode;
    }
    if (!this.online) return;
    await this.call('StatusNotification', { connectorId, status: c?.status ?? (status ?? 'Available'), errorCode: c?.errorCode ?? errorCode, timestamp: now(), ...(info ? { info } : {}) });
  }

  async authorize(idTag: string): Promise<string> {
    return ((await this.call('Authorize', { idTag })) as any).idTagInfo.status;
  }

  async plugIn(connectorId: number): Promise<void> {
    await this.status(connectorId, 'Preparing');
  }

  /**
   * StartTransaction (queued when offline: resolves once delivered); returns the central system's id. With
   * `signed`, the meter's begin record follows in a MeterValues (context Transaction.Begin).
   */
  async startTransaction(connectorId: number, idTag: string, reservationId?: number): Promise<{ transactionId: number; status: string }> {
    const c = this.connector(connectorId);
    if (c.transactionId !== undefined) throw new Error(`connector ${connectorId} is busy`);
    const placeholder = this.nextPlaceholder--;
    const timestamp = now();
    const meterStart = Math.round(c.energyWh);
    c.transactionId = placeholder;
    c.idTag = idTag;
    c.start = { at: timestamp, energyWh: meterStart };
    const pending = this.call('StartTransaction', { connectorId, idTag, meterStart, timestamp, ...(reservationId !== undefined ? { reservationId } : {}) }, true, connectorId, placeholder);
    let signedBegin: Promise<unknown> | undefined;
    if (c.meter) {
      c.start.signedBegin = c.meter.record({ kind: 'begin', at: new Date(timestamp), energyWh: meterStart, idTag });
      signedBegin = this.call('MeterValues', { connectorId, transactionId: placeholder, meterValue: [this.signedMeterValue(timestamp, 'Transaction.Begin', meterStart, c.start.signedBegin)] }, true, connectorId);
    }
    if (this.online) {
      const res = await pending;
      await signedBegin;
      await this.status(connectorId, 'Charging');
      return { transactionId: res.transactionId, status: res.idTagInfo.status };
    }
    void signedBegin?.catch(() => undefined);
    void pending.catch(() => undefined);
    return { transactionId: placeholder, status: 'Queued' };
  }

  private resolvePlaceholder(connectorId: number, placeholder: number, transactionId: number): void {
    this.placeholders.set(placeholder, transactionId);
    const c = this.connectors.find((x) => x.id === connectorId);
    if (c?.transactionId === placeholder) c.transactionId = transactionId;
  }

  /** A raw register value and, beside it, the same reading signed (1.6 SampledValue format SignedData). */
  private signedMeterValue(timestamp: string, context: string, energyWh: number, ocmf: string): Record<string, unknown> {
    return {
      timestamp, sampledValue: [
        { value: String(energyWh), context, format: 'Raw', measurand: ENERGY, location: 'Outlet', unit: 'Wh' },
        { value: ocmf, context, format: 'SignedData', measurand: ENERGY, location: 'Outlet', unit: 'Wh' },
      ],
    };
  }

  /** Simulated time passes on a connector: energy rises at the set power and a MeterValues goes out. */
  async advance(connectorId: number, seconds: number): Promise<void> {
    const c = this.connector(connectorId);
    const powerW = this.o.powerW ?? 11_000;
    c.energyWh += (powerW * seconds) / 3600;
    const timestamp = now();
    const energyWh = Math.round(c.energyWh);
    const inTransaction = c.transactionId !== undefined;
    const signed = inTransaction && c.meter ? [{ value: c.meter.record({ kind: 'sample', at: new Date(timestamp), energyWh, idTag: c.idTag }), measurand: ENERGY, unit: 'Wh', context: 'Sample.Periodic', format: 'SignedData' }] : [];
    await this.call('MeterValues', {
      connectorId, ...(inTransaction ? { transactionId: c.transactionId } : {}),
      meterValue: [{ timestamp, sampledValue: [
        { value: String(energyWh), measurand: ENERGY, unit: 'Wh', context: 'Sample.Periodic' },
        { value: String(powerW), measurand: 'Power.Active.Import', unit: 'W', context: 'Sample.Periodic' },
        ...signed,
      ] }],
    }, inTransaction, connectorId);
  }

  /** StopTransaction (queued when offline); with `signed`, transactionData carries the signed begin and end records. */
  async stopTransaction(connectorId: number, reason = 'Local'): Promise<void> {
    const c = this.connector(connectorId);
    if (c.transactionId === undefined) throw new Error(`no transaction on connector ${connectorId}`);
    const transactionId = c.transactionId;
    const timestamp = now();
    const meterStop = Math.round(c.energyWh);
    const transactionData = c.meter && c.start?.signedBegin ? [
      this.signedMeterValue(c.start.at, 'Transaction.Begin', c.start.energyWh, c.start.signedBegin),
      this.signedMeterValue(timestamp, 'Transaction.End', meterStop, c.meter.record({ kind: 'end', at: new Date(timestamp), energyWh: meterStop, idTag: c.idTag })),
    ] : undefined;
    const stop = this.call('StopTransaction', {
      transactionId, meterStop, timestamp, reason, ...(c.idTag ? { idTag: c.idTag } : {}), ...(transactionData ? { transactionData } : {}),
    }, true, connectorId);
    c.transactionId = undefined;
    c.idTag = undefined;
    c.start = undefined;
    if (this.online) {
      await stop;
      await this.status(connectorId, 'Finishing');
      await this.status(connectorId, c.pendingAvailability === 'Inoperative' ? 'Unavailable' : 'Available');
      if (c.pendingAvailability) c.availability = c.pendingAvailability;
      c.pendingAvailability = undefined;
    } else void stop.catch(() => undefined);
  }

  private registerHandlers(client: Client): void {
    const on = (action: string, fn: (p: any) => Promise<Record<string, unknown>> | Record<string, unknown>) =>
      client.handle(action, async ({ params }) => {
        const response = await fn(params);
        this.received.push({ action, params, response });
        this.emit('command', { action, params, response });
        return response;
      });
    const later = (fn: () => Promise<unknown>) => setTimeout(() => void fn().catch((err) => { if (this.listenerCount('error')) this.emit('error', err); }), 20);
    on('RemoteStartTransaction', (p) => {
      const c = p.connectorId ? this.connectors.find((x) => x.id === p.connectorId) : this.connectors.find((x) => x.transactionId === undefined && x.availability === 'Operative');
      if (!c || c.transactionId !== undefined || c.availability !== 'Operative') return { status: 'Rejected' };
      later(async () => {
        if (this.configuration.get('AuthorizeRemoteTxRequests')?.value === 'true') await this.authorize(p.idTag);
        await this.startTransaction(c.id, p.idTag);
      });
      return { status: 'Accepted' };
    });
    on('RemoteStopTransaction', (p) => {
      const c = this.connectors.find((x) => x.transactionId === p.transactionId);
      if (!c) return { status: 'Rejected' };
      later(() => this.stopTransaction(c.id, 'Remote'));
      return { status: 'Accepted' };
    });
    on('UnlockConnector', (p) => {
      const c = this.connectors.find((x) => x.id === p.connectorId);
      if (!c) return { status: 'NotSupported' };
      if (c.transactionId !== undefined) later(() => this.stopTransaction(c.id, 'UnlockCommand'));
      return { status: 'Unlocked' };
    });
    on('ReserveNow', (p) => {
      const c = this.connectors.find((x) => x.id === p.connectorId);
      if (!c) return { status: 'Rejected' };
      if (c.status === 'Faulted') return { status: 'Faulted' };
      if (c.availability !== 'Operative') return { status: 'Unavailable' };
      if (c.transactionId !== undefined) return { status: 'Occupied' };
      c.reservation = { id: p.reservationId, idTag: p.idTag, expiresAt: Date.parse(p.expiryDate) };
      later(() => this.status(c.id, 'Reserved'));
      return { status: 'Accepted' };
    });
    on('CancelReservation', (p) => {
      const c = this.connectors.find((x) => x.reservation?.id === p.reservationId);
      if (!c) return { status: 'Rejected' };
      c.reservation = undefined;
      later(() => this.status(c.id, 'Available'));
      return { status: 'Accepted' };
    });
    on('SetChargingProfile', (p) => {
      const purpose = p.csChargingProfiles.chargingProfilePurpose;
      const c = this.connectors.find((x) => x.id === p.connectorId);
      if (purpose === 'TxProfile' && c?.transactionId === undefined) return { status: 'Rejected' };
      this.profiles = this.profiles.filter((x) => x.chargingProfileId !== p.csChargingProfiles.chargingProfileId);
      this.profiles.push({ ...p.csChargingProfiles, connectorId: p.connectorId });
      return { status: 'Accepted' };
    });
    on('ClearChargingProfile', (p) => {
      const before = this.profiles.length;
      this.profiles = this.profiles.filter((x) => !((p.id === undefined || x.chargingProfileId === p.id) && (p.connectorId === undefined || x.connectorId === p.connectorId)));
      return { status: this.profiles.length < before ? 'Accepted' : 'Unknown' };
    });
    on('GetCompositeSchedule', (p) => {
      const profile = this.profiles.filter((x) => x.connectorId === p.connectorId).sort((a, b) => b.stackLevel - a.stackLevel)[0];
      if (!profile) return { status: 'Rejected' };
      return { status: 'Accepted', connectorId: p.connectorId, scheduleStart: now(), chargingSchedule: { ...profile.chargingSchedule, duration: p.duration } };
    });
    on('Reset', (p) => {
      later(async () => {
        for (const c of this.connectors) if (c.transactionId !== undefined && c.transactionId >= 0) await this.stopTransaction(c.id, p.type === 'Hard' ? 'HardReset' : 'SoftReset');
        this.goOffline();
        await new Promise((r) => setTimeout(r, 50));
        await this.connect();
        this.emit('rebooted');
      });
      return { status: 'Accepted' };
    });
    on('ChangeAvailability', (p) => {
      const targets = p.connectorId === 0 ? this.connectors : this.connectors.filter((x) => x.id === p.connectorId);
      if (!targets.length) return { status: 'Rejected' };
      let scheduled = false;
      for (const c of targets) {
        if (c.transactionId !== undefined) {
          c.pendingAvailability = p.type;
          scheduled = true;
        } else {
          c.availability = p.type;
          later(() => this.status(c.id, p.type === 'Inoperative' ? 'Unavailable' : 'Available'));
        }
      }
      return { status: scheduled ? 'Scheduled' : 'Accepted' };
    });
    on('GetConfiguration', (p) => {
      const keys: string[] = p.key?.length ? p.key : [...this.configuration.keys()];
      return {
        configurationKey: keys.filter((k) => this.configuration.has(k)).map((k) => ({ key: k, readonly: this.configuration.get(k)!.readonly, value: this.configuration.get(k)!.value })),
        unknownKey: keys.filter((k) => !this.configuration.has(k)),
      };
    });
    on('ChangeConfiguration', (p) => {
      const entry = this.configuration.get(p.key);
      if (!entry) return { status: 'NotSupported' };
      if (entry.readonly) return { status: 'Rejected' };
      entry.value = p.value;
      return { status: 'Accepted' };
    });
    on('TriggerMessage', (p) => {
      const send: Record<string, () => Promise<unknown>> = {
        BootNotification: () => this.call('BootNotification', this.bootPayload()),
        Heartbeat: () => this.call('Heartbeat', {}),
        StatusNotification: async () => {
          for (const c of p.connectorId ? [this.connector(p.connectorId)] : this.connectors) await this.status(c.id);
        },
        MeterValues: () => this.advance(p.connectorId ?? 1, 0),
        FirmwareStatusNotification: () => this.call('FirmwareStatusNotification', { status: 'Idle' }),
        DiagnosticsStatusNotification: () => this.call('DiagnosticsStatusNotification', { status: 'Idle' }),
      };
      const fn = send[p.requestedMessage];
      if (!fn) return { status: 'NotImplemented' };
      later(fn);
      return { status: 'Accepted' };
    });
    on('SendLocalList', (p) => {
      if (p.updateType === 'Differential' && p.listVersion <= this.localList.version) return { status: 'VersionMismatch' };
      if (p.updateType === 'Full') this.localList.entries.clear();
      for (const e of p.localAuthorizationList ?? []) {
        if (e.idTagInfo) this.localList.entries.set(e.idTag, e.idTagInfo.status);
        else this.localList.entries.delete(e.idTag);
      }
      this.localList.version = p.listVersion;
      return { status: 'Accepted' };
    });
    on('GetLocalListVersion', () => ({ listVersion: this.localList.version }));
    on('ClearCache', () => ({ status: 'Accepted' }));
    on('UpdateFirmware', () => {
      later(async () => {
        for (const status of ['Downloading', 'Downloaded', 'Installing', 'Installed']) await this.call('FirmwareStatusNotification', { status });
      });
      return {};
    });
    on('GetDiagnostics', () => {
      later(async () => {
        for (const status of ['Uploading', 'Uploaded']) await this.call('DiagnosticsStatusNotification', { status });
      });
      return { fileName: `${this.identity}-diagnostics.zip` };
    });
    on('DataTransfer', () => ({ status: 'UnknownVendorId' }));
  }
}
