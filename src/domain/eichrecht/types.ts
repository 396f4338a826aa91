/**
 * Types of the Eichrecht (German calibration law) core: OCMF records as received, their verification,
 * transaction checks and the OCPI 2.2.1 CDR `signed_data` built from them.
 * Field names follow the OCMF spec tables 1-8 (shared/reference/eichrecht-ocmf.md §1.1-1.2) and
 * OCPI 2.2.1 mod_cdrs §SignedData / §SignedValue (reference §3).
 */

/** A JSON number kept with its exact source text ("1234.560" stays "1234.560"). */
export class JsonNumber {
  constructor(readonly text: string) {}
  get value(): number {
    return Number(this.text);
  }
}
/** JSON as read from a signed section: objects keep key order, numbers keep their text. */
export type JsonValue = null | boolean | string | JsonNumber | JsonValue[] | JsonObject;
export type JsonObject = Map<string, JsonValue>;

/** Exact decimal: value = digits / 10^scale (scale >= 0). Never a float. */
export interface Decimal {
  digits: bigint;
  scale: number;
}

/** A reading value (RV, CL): the text as written in the payload, string or number form. */
export interface ReadingValue {
  /** Source text of the number, or the content of the string ("       9.038"). */
  text: string;
  fromString: boolean;
  /** Parsed decimal; undefined when the text is not a decimal number. */
  decimal?: Decimal;
}

export type TimeStatus = 'U' | 'I' | 'S' | 'R';

/** One entry of RD[] after inheritance of omitted fields from the previous reading (spec Table 7). */
export interface OcmfReading {
  index: number;
  TM?: string;
  /** TM as an instant; undefined when TM is missing or unreadable. */
  time?: Date;
  timeStatus?: TimeStatus | string;
  TX?: string;
  RV?: ReadingValue;
  RI?: string;
  RU?: string;
  RT?: string;
  CL?: ReadingValue;
  EF?: string;
  ST?: string;
  /** Keys taken over from the previous reading because this one omitted them. */
  inherited: string[];
  /** Keys of this reading not in Table 7 (vendor keys such as XV, EI, UC), as read. */
  extensions: Record<string, JsonValue>;
}

/** Cable loss compensation (spec 1.2+). */
export interface OcmfCableLoss {
  LN?: string;
  LI?: string;
  LR?: ReadingValue;
  LU?: string;
}

/** The payload section (spec Tables 1-6, 24). Scalars sent as numbers are kept as their source text. */
export interface OcmfPayload {
  FV?: string;
  GI?: string;
  GS?: string;
  GV?: string;
  PG?: string;
  MV?: string;
  MM?: string;
  MS?: string;
  MF?: string;
  IS?: boolean;
  IL?: string;
  IF?: string[];
  IT?: string;
  ID?: string;
  TT?: string;
  CF?: string;
  LC?: OcmfCableLoss;
  CT?: string;
  CI?: string;
  readings: OcmfReading[];
  /** Top-level keys not in the spec tables (vendor keys U…Z, or unknown), as read. They are signed too. */
  extensions: Record<string, JsonValue>;
}

/** The signature section (spec Table 8). */
export interface OcmfSignature {
  SA?: string;
  SE?: string;
  SM?: string;
  SD: string;
  extensions: Record<string, JsonValue>;
}

export interface ParsedOcmf {
  ok: true;
  /** The whole OCMF text as given. */
  text: string;
  /** The signed bytes: the text between the first and second '|', exactly as received. */
  payloadText: string;
  signatureText: string;
  /** Sections after the signature (a removed 4th "public key" section); never used for anything. */
  extraSections: string[];
  payload: OcmfPayload;
  signature: OcmfSignature;
  /** Non-fatal deviations from the spec (missing 1..1 fields, wrong types). */
  issues: string[];
}

export type OcmfParseFailureReason =
  | 'not-string'
  | 'empty'
  | 'too-large'
  | 'not-ocmf'
  | 'truncated'
  | 'bad-json'
  | 'bad-payload'
  | 'bad-signature-section';

export interface Failure<R extends string> {
  ok: false;
  reason: R;
  message: string;
}
export type OcmfParseResult = ParsedOcmf | Failure<OcmfParseFailureReason>;

/** Curves named in the OCMF SA table (spec Table 22), by their OCMF spelling. */
export type CurveName = 'secp192k1' | 'secp192r1' | 'secp256k1' | 'secp256r1' | 'secp384r1' | 'brainpoolP256r1' | 'brainpoolP384r1';

export type OcmfContext = 'begin' | 'intermediate' | 'end';

export type VerifyStatus = 'verified' | 'invalid-signature' | 'no-public-key' | 'unsupported-curve' | 'malformed';
export interface VerifyResult {
  status: VerifyStatus;
  reason: string;
  /** The curve from SA (default secp256r1), when SA could be read. */
  curve?: CurveName;
  /** Which implementation checked the signature. */
  engine?: 'node' | 'noble';
}

/** One signed value of a transaction, as stored: `raw` exactly as received over OCPP (any transport encoding). */
export interface TransactionReadingInput {
  raw: string;
  context: OcmfContext;
  receivedAt?: Date;
}

/** What the bridge itself knows about the transaction (OCPP start/stop, its own energy count). */
export interface TransactionFacts {
  startedAt: Date;
  endedAt?: Date;
  /** Energy as the bridge computed it (meterStop - meterStart, or the 2.0.1 register), in Wh. */
  energyWh?: number;
  /** OCPP 1.6 idTag / 2.0.1 idToken.idToken, compared with the records' ID. */
  idTag?: string;
  /** Meter serial registered for the EVSE (reference §4 check 3); compared with MS when given. */
  meterSerial?: string;
}

export type FindingCode =
  | 'no-records'
  | 'unparseable'
  | 'duplicate-record'
  | 'signature-invalid'
  | 'signature-unverified'
  | 'meter-serial-missing'
  | 'meter-serial-mismatch'
  | 'meter-serial-unexpected'
  | 'gateway-serial-mismatch'
  | 'pagination-malformed'
  | 'pagination-context'
  | 'pagination-gap'
  | 'context-mismatch'
  | 'identification-inconsistent'
  | 'identification-mismatch'
  | 'identification-level'
  | 'tx-missing'
  | 'tx-unknown'
  | 'tx-order'
  | 'tx-exception'
  | 'missing-begin'
  | 'missing-end'
  | 'meter-status'
  | 'error-flags'
  | 'no-energy-register'
  | 'value-unparseable'
  | 'unit-mismatch'
  | 'reading-decreases'
  | 'energy-mismatch'
  | 'time-unparseable'
  | 'time-unsynchronized'
  | 'time-backwards'
  | 'time-outside-window'
  | 'time-after-receipt';

/** A problem for the operator. 'error': the signed data does not support billing as is; 'warning': look at it. */
export interface TransactionFinding {
  code: FindingCode;
  severity: 'error' | 'warning';
  message: string;
  /** Index into the input list of the record concerned. */
  readingIndex?: number;
}
