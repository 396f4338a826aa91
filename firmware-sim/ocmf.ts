/**
 * Signed meter values in OCMF (Open Charge Metering Format 1.0, S.A.F.E. e.V.) for the simulated chargers:
 * one P-256 key per charger identity (ECDSA-secp256r1-SHA256, node:crypto only), one `OcmfMeter` per
 * connector/EVSE with its own serial (MS) and pagination counter (PG T1, T2, ... one per signed record),
 * and the broken variants the bridge must catch. Never imports src/.
 *
 * Record: `OCMF|<payload JSON>|{"SA":"ECDSA-secp256r1-SHA256","SD":"<hex DER signature>"}`; the signature covers
 * exactly the payload section's bytes (OCMF "Signing and Verification Process"). The payload is written by hand
 * so `RV` keeps three decimals (1234.560 stays 1234.560: its text is what is signed).
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const SIGNED_VARIANTS = ['good', 'bad-signature', 'wrong-meter-serial', 'falling-reading', 'pagination-gap', 'time-outside-transaction'] as const;
export type SignedVariant = (typeof SIGNED_VARIANTS)[number];

export interface SignedOptions {
  /** 'good' (default) or a way of being wrong, applied to every transaction (see OcmfMeter.record). */
  variant?: SignedVariant;
  /** The charger's private key (KeyObject or PKCS#8 PEM); otherwise loaded from / created in `keyDir`, else a fresh one. */
  privateKey?: KeyObject | string;
  /** Folder holding `<identity>.pem`: the key is created there on first use and reused afterwards. */
  keyDir?: string;
}
/** The `signed` option of both simulator classes. */
export type SignedSetting = boolean | SignedOptions;

export const SIGNING_METHOD = 'ECDSA-secp256r1-SHA256';

export function isSignedVariant(v: string): v is SignedVariant {
  return (SIGNED_VARIANTS as readonly string[]).includes(v);
}

/** `<dir>/<identity>.pem`; the identity URL-encoded (identities are URL path segments and may hold characters a file name may not). */
export function keyFilePath(dir: string, identity: string): string {
  return join(dir, `${encodeURIComponent(identity).replace(/\*/g, '%2A')}.pem`);
}

/**
 * A device serial for an identity: `<prefix>-<identity>` when short enough, else the prefix and a hash. OCPP caps
 * serial numbers at 25 characters (1.6 chargePointSerialNumber, 2.0.1 serialNumber), and the meter serial
 * `<serial>-M<n>` must fit as well.
 */
export function deviceSerial(prefix: string, identity: string): string {
  const plain = `${prefix}-${identity}`;
  return plain.length <= 21 && /^[\x21-\x7e]+$/.test(plain) && !plain.includes('|') ? plain : `${prefix}-${createHash('sha256').update(identity).digest('hex').slice(0, 12).toUpperCase()}`;
}

export function generateMeterKey(): KeyObject {
  return generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
}

/** `<dir>/<identity>.pem` (PKCS#8), created with mode 0600 when missing. */
export function loadOrCreateMeterKey(dir: string, identity: string): KeyObject {
  const path = keyFilePath(dir, identity);
  if (existsSync(path)) return createPrivateKey(readFileSync(path, 'utf8'));
  const key = generateMeterKey();
  mkdirSync(dir, { recursive: true });
  writeFileSync(path, key.export({ type: 'pkcs8', format: 'pem' }) as string, { mode: 0o600 });
  return key;
}

/** The DER SubjectPublicKeyInfo of a key, the form OCMF's key field and the bridge config use (`3059301306...`). */
export function publicKeySpki(key: KeyObject): Buffer {
  return createPublicKey(key).export({ type: 'spki', format: 'der' });
}

export class MeterSigner {
  readonly variant: SignedVariant;
  readonly key: KeyObject;
  /** With a key folder, the meters' pagination counters live beside the key: `<identity>.pg.json`. */
  private readonly pagesPath?: string;
  private pages: Record<string, number> = {};

  constructor(identity: string, options: SignedOptions = {}) {
    this.variant = options.variant ?? 'good';
    if (options.keyDir && !options.privateKey) {
      this.pagesPath = keyFilePath(options.keyDir, identity).replace(/\.pem$/, '.pg.json');
      if (existsSync(this.pagesPath)) this.pages = JSON.parse(readFileSync(this.pagesPath, 'utf8')) as Record<string, number>;
    }
    const k = options.privateKey;
    this.key = k ? (typeof k === 'string' ? createPrivateKey(k) : k) : options.keyDir ? loadOrCreateMeterKey(options.keyDir, identity) : generateMeterKey();
    const curve = this.key.asymmetricKeyDetails?.namedCurve;
    if (this.key.asymmetricKeyType !== 'ec' || curve !== 'prime256v1') throw new Error(`the meter key of ${identity} is not a P-256 key (${this.key.asymmetricKeyType} ${curve ?? ''})`);
  }

  /** Upper-case hex of the DER SPKI (the reference's "hex SPKI"). */
  publicKeyHex(): string {
    return publicKeySpki(this.key).toString('hex').toUpperCase();
  }

  publicKeyBase64(): string {
    return publicKeySpki(this.key).toString('base64');
  }

  /** The next PG number a meter left off at (a restarted simulator goes on counting, as a real meter does). */
  storedPage(meterSerial: string): number | undefined {
    return this.pages[meterSerial];
  }

  savePage(meterSerial: string, next: number): void {
    this.pages[meterSerial] = next;
    if (this.pagesPath) writeFileSync(this.pagesPath, JSON.stringify(this.pages));
  }

  /** Hex DER `SEQUENCE { r, s }` over exactly these bytes. */
  signHex(payload: string): string {
    return sign('sha256', Buffer.from(payload, 'utf8'), { key: this.key, dsaEncoding: 'der' }).toString('hex').toUpperCase();
  }
}

/** OCMF time `YYYY-MM-DDThh:mm:ss,fff+0000 S` (UTC, synchronized clock). */
export function ocmfTime(d: Date): string {
  return `${d.toISOString().slice(0, 19)},${d.toISOString().slice(20, 23)}+0000 S`;
}

/** OCMF identification type (IT) for an OCPP id token type; 1.6 idTags are RFID UIDs when they look like one. */
export function identificationType(type: string | undefined, idTag: string): string {
  const map: Record<string, string> = { ISO14443: 'ISO14443', ISO15693: 'ISO15693', eMAID: 'EMAID', Central: 'CENTRAL', Local: 'LOCAL', KeyCode: 'KEY_CODE', NoAuthorization: 'NONE', MacAddress: 'UNDEFINED' };
  if (type) return map[type] ?? 'UNDEFINED';
  return /^(?:[0-9A-Fa-f]{8}|[0-9A-Fa-f]{14})$/.test(idTag) ? 'ISO14443' : 'CENTRAL';
}

export interface MeterIdentity {
  /** The signing gateway: the charger (GI vendor+model, GS serial, GV firmware). */
  gatewayId: string;
  gatewaySerial: string;
  gatewayFirmware: string;
  meterSerial: string;
  /** CT=CBIDC: the OCPP charge box id and connector, e.g. `CP-1 1`. */
  chargePointId: string;
}

export type ReadingKind = 'begin' | 'sample' | 'end';
export interface Reading {
  kind: ReadingKind;
  at: Date;
  energyWh: number;
  /** The token the transaction is authorised with; undefined before it is known (2.0.1 cable first). */
  idTag?: string;
  idTokenType?: string;
}

const TX: Record<ReadingKind, string> = { begin: 'B', sample: 'C', end: 'E' };
const clean = (s: string) => s.replace(/\|/g, '_');

/**
 * One MID meter on a connector/EVSE. Its pagination counter runs across transactions, one number per signed
 * record. The variant breaks each transaction in one way the bridge checks (reference §4):
 *   bad-signature             the end record's signature has one bit flipped (signature check fails)
 *   wrong-meter-serial        the end record comes from another meter (MS differs from the begin record)
 *   falling-reading           the end reading is 10 Wh below the previous signed reading
 *   pagination-gap            one PG number is skipped before the end record
 *   time-outside-transaction  the begin reading's TM is two hours before the transaction started
 */
export class OcmfMeter {
  pagination: number;
  private lastSignedWh?: number;

  constructor(readonly signer: MeterSigner, readonly id: MeterIdentity, firstPage?: number) {
    this.pagination = firstPage ?? signer.storedPage(id.meterSerial) ?? 1;
  }

  /** The next signed record: the OCMF text to put in a SignedData value (1.6) or signedMeterData (2.0.1, base64). */
  record(r: Reading): string {
    const v = this.signer.variant;
    const end = r.kind === 'end';
    if (end && v === 'pagination-gap') this.pagination++;
    const at = r.kind === 'begin' && v === 'time-outside-transaction' ? new Date(r.at.getTime() - 2 * 3600_000) : r.at;
    let wh = Math.round(r.energyWh);
    if (end && v === 'falling-reading') wh = (this.lastSignedWh ?? wh) - 10;
    this.lastSignedWh = r.kind === 'end' ? undefined : wh;
    const meterSerial = end && v === 'wrong-meter-serial' ? `${this.id.meterSerial}-OTHER` : this.id.meterSerial;
    const identified = r.idTag !== undefined && r.idTag !== '';
    const s = JSON.stringify;
    const payload = '{' + [
      `"FV":"1.0"`, `"GI":${s(clean(this.id.gatewayId))}`, `"GS":${s(clean(this.id.gatewaySerial))}`, `"GV":${s(clean(this.id.gatewayFirmware))}`,
      `"PG":"T${this.pagination++}"`, `"MV":"Simulated Metering"`, `"MM":"SIM-MID-3PH"`, `"MS":${s(clean(meterSerial))}`, `"MF":"1.0.0"`,
      `"IS":${identified}`, ...(identified ? [`"IF":["OCPP_AUTH"]`] : []),
      `"IT":${s(identified ? identificationType(r.idTokenType, r.idTag!) : 'NONE')}`, ...(identified ? [`"ID":${s(clean(r.idTag!))}`] : []),
      `"CT":"CBIDC"`, `"CI":${s(clean(this.id.chargePointId))}`,
      `"RD":[{"TM":${s(ocmfTime(at))},"TX":"${TX[r.kind]}","RV":${(wh / 1000).toFixed(3)},"RI":"1-0:1.8.0","RU":"kWh","RT":"AC","EF":"","ST":"G"}]`,
    ].join(',') + '}';
    this.signer.savePage(this.id.meterSerial, this.pagination);
    let sd = this.signer.signHex(payload);
    if (end && v === 'bad-signature') sd = sd.slice(0, -1) + ((parseInt(sd.slice(-1), 16) ^ 1).toString(16).toUpperCase());
    return `OCMF|${payload}|{"SA":"${SIGNING_METHOD}","SD":"${sd}"}`;
  }
}

/** The signer for an identity from the `signed` option, or undefined when readings go out unsigned. */
export function signerFor(identity: string, signed: SignedSetting | undefined): MeterSigner | undefined {
  if (!signed) return undefined;
  return new MeterSigner(identity, signed === true ? {} : signed);
}
