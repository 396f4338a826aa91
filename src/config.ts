/**
 * Site configuration: the YAML file (config/default.yaml unless BRIDGE_CONFIG names another), overridden
 * by the environment variables of CONTRACT.md, validated with zod at start-up. Locations and tariffs are
 * written in OCPI 2.2.1 field names. May import only zod, yaml and node built-ins.
 * A bad file is a ConfigError whose message names the key path and what is wrong (main.ts exits 2).
 */
import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { formatConfigIssues } from './config-errors.js';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(message: string, readonly source: string) {
    super(message);
  }
}

const port = z.number().int().min(0).max(65535);
const ciString = (max: number) => z.string().min(1).max(max).regex(/^[\x20-\x7e]*$/, 'expected printable ASCII');
const eMI3EvseId = z
  .string()
  .regex(/^[A-Z]{2}\*?[A-Z0-9]{3}\*?E[A-Z0-9*]{1,30}$/i, 'expected eMI3 id like DE*EXA*E0001*1')
  .max(48);
const dateTime = z.string().regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z?$/, 'expected UTC date-time like 2026-01-01T00:00:00Z');
const displayText = z.strictObject({ language: z.string().length(2), text: z.string().max(512) });
const price = z.strictObject({ excl_vat: z.number().min(0), incl_vat: z.number().min(0).optional() });

// OCPI 2.2.1 mod_locations Connector enums (abridged to the ones sites have; the OCPI schema validates the rest on output).
const connectorStandard = z.enum([
  'CHADEMO', 'CHAOJI', 'DOMESTIC_A', 'DOMESTIC_B', 'DOMESTIC_C', 'DOMESTIC_D', 'DOMESTIC_E', 'DOMESTIC_F', 'DOMESTIC_G',
  'DOMESTIC_H', 'DOMESTIC_I', 'DOMESTIC_J', 'DOMESTIC_K', 'DOMESTIC_L', 'DOMESTIC_M', 'DOMESTIC_N', 'DOMESTIC_O',
  'GBT_AC', 'GBT_DC', 'IEC_60309_2_single_16', 'IEC_60309_2_three_16', 'IEC_60309_2_three_32', 'IEC_60309_2_three_64',
  'IEC_62196_T1', 'IEC_62196_T1_COMBO', 'IEC_62196_T2', 'IEC_62196_T2_COMBO', 'IEC_62196_T3A', 'IEC_62196_T3C',
  'NEMA_5_20', 'NEMA_6_30', 'NEMA_6_50', 'NEMA_10_30', 'NEMA_10_50', 'NEMA_14_30', 'NEMA_14_50', 'PANTOGRAPH_BOTTOM_UP',
  'PANTOGRAPH_TOP_DOWN', 'TESLA_R', 'TESLA_S',
]);
const capability = z.enum([
  'CHARGING_PROFILE_CAPABLE', 'CHARGING_PREFERENCES_CAPABLE', 'CHIP_CARD_SUPPORT', 'CONTACTLESS_CARD_SUPPORT',
  'CREDIT_CARD_PAYABLE', 'DEBIT_CARD_PAYABLE', 'PED_TERMINAL', 'REMOTE_START_STOP_CAPABLE', 'RESERVABLE',
  'RFID_READER', 'START_SESSION_CONNECTOR_REQUIRED', 'TOKEN_GROUP_CAPABLE', 'UNLOCK_CAPABLE',
]);

const connectorConfig = z.strictObject({
  id: ciString(36),
  ocpp_connector_id: z.number().int().min(1).optional(), // 2.0.1 connectorId within the EVSE; default: position + 1
  standard: connectorStandard,
  format: z.enum(['SOCKET', 'CABLE']),
  power_type: z.enum(['AC_1_PHASE', 'AC_2_PHASE', 'AC_2_PHASE_SPLIT', 'AC_3_PHASE', 'DC']),
  max_voltage: z.number().int().positive(),
  max_amperage: z.number().int().positive(),
  max_electric_power: z.number().int().positive().optional(),
  tariff_ids: z.array(ciString(36)).default([]),
  terms_and_conditions: z.string().url().max(255).optional(),
});

const evseConfig = z.strictObject({
  ocpp_id: z.number().int().min(1),
  evse_id: eMI3EvseId,
  uid: ciString(36).optional(), // OCPI EVSE.uid; default: the evse_id
  capabilities: z.array(capability).optional(),
  floor_level: z.string().max(4).optional(),
  physical_reference: z.string().max(16).optional(),
  meter_public_key: z.string().max(1024).optional(), // Eichrecht: the meter's key when the charger does not report it
  removed: z.boolean().default(false),
  connectors: z.array(connectorConfig).min(1),
});

const chargerConfig = z.strictObject({
  identity: z.string().min(1).max(48).regex(/^[\x21-\x7e]+$/, 'expected printable ASCII without spaces'),
  password: z.string().min(1).max(64).optional(),
  security_profile: z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3)]).optional(),
  location: ciString(36),
  boot_status: z.enum(['Accepted', 'Pending', 'Rejected']).default('Accepted'),
  meter_public_key: z.string().max(1024).optional(),
  evses: z.array(evseConfig).default([]),
});

const localToken = z.strictObject({
  uid: ciString(36),
  type: z.enum(['AD_HOC_USER', 'APP_USER', 'OTHER', 'RFID']).default('RFID'),
  valid: z.boolean().default(true),
  contract_id: ciString(36).optional(),
  visual_number: z.string().max(64).optional(),
});

const locationConfig = z.strictObject({
  id: ciString(36),
  name: z.string().max(255).optional(),
  address: z.string().max(45),
  city: z.string().max(45),
  postal_code: z.string().max(10).optional(),
  state: z.string().max(20).optional(),
  country: z.string().regex(/^[A-Z]{3}$/, 'expected ISO 3166-1 alpha-3 country code like DEU'),
  coordinates: z.strictObject({
    latitude: z.string().regex(/^-?[0-9]{1,2}\.[0-9]{5,7}$/, 'expected a decimal latitude string like "52.520008"'),
    longitude: z.string().regex(/^-?[0-9]{1,3}\.[0-9]{5,7}$/, 'expected a decimal longitude string like "13.404954"'),
  }),
  time_zone: z.string().refine(isIanaTimeZone, 'expected an IANA time zone like Europe/Berlin'),
  parking_type: z.enum(['ALONG_MOTORWAY', 'PARKING_GARAGE', 'PARKING_LOT', 'ON_DRIVEWAY', 'ON_STREET', 'UNDERGROUND_GARAGE']).optional(),
  publish: z.boolean().default(true),
  facilities: z.array(z.string()).optional(),
  directions: z.array(displayText).optional(),
  operator: z.record(z.string(), z.unknown()).optional(),
  suboperator: z.record(z.string(), z.unknown()).optional(),
  owner: z.record(z.string(), z.unknown()).optional(),
  opening_times: z.record(z.string(), z.unknown()).optional(),
  charging_when_closed: z.boolean().optional(),
  images: z.array(z.record(z.string(), z.unknown())).optional(),
  energy_mix: z.record(z.string(), z.unknown()).optional(),
});

const hhmm = z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, 'expected HH:MM');
const ymd = z.string().regex(/^\d{4}-\d\d-\d\d$/, 'expected YYYY-MM-DD');
const tariffConfig = z.strictObject({
  id: ciString(36),
  currency: z.string().regex(/^[A-Z]{3}$/, 'expected ISO 4217 currency like EUR'),
  type: z.enum(['AD_HOC_PAYMENT', 'PROFILE_CHEAP', 'PROFILE_FAST', 'PROFILE_GREEN', 'REGULAR']).optional(),
  tariff_alt_text: z.array(displayText).optional(),
  tariff_alt_url: z.string().url().max(255).optional(),
  min_price: price.optional(),
  max_price: price.optional(),
  start_date_time: dateTime.optional(),
  end_date_time: dateTime.optional(),
  energy_mix: z.record(z.string(), z.unknown()).optional(),
  elements: z
    .array(
      z.strictObject({
        price_components: z
          .array(
            z.strictObject({
              type: z.enum(['ENERGY', 'FLAT', 'PARKING_TIME', 'TIME']),
              price: z.number().min(0),
              vat: z.number().min(0).max(100).optional(),
              step_size: z.number().int().min(0),
            }),
          )
          .min(1),
        restrictions: z
          .strictObject({
            start_time: hhmm.optional(),
            end_time: hhmm.optional(),
            start_date: ymd.optional(),
            end_date: ymd.optional(),
            min_kwh: z.number().min(0).optional(),
            max_kwh: z.number().min(0).optional(),
            min_current: z.number().min(0).optional(),
            max_current: z.number().min(0).optional(),
            min_power: z.number().min(0).optional(),
            max_power: z.number().min(0).optional(),
            min_duration: z.number().int().min(0).optional(),
            max_duration: z.number().int().min(0).optional(),
            day_of_week: z.array(z.enum(['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'])).optional(),
            reservation: z.enum(['RESERVATION', 'RESERVATION_EXPIRES']).optional(),
          })
          .optional(),
      }),
    )
    .min(1),
});

const statusPageUser = z.strictObject({
  name: z.string().min(1).max(64),
  password_hash: z.string().regex(/^scrypt:/, 'expected "scrypt:<salt>:<hash>" (see config/README.md)'),
});

export const configSchema = z.strictObject({
  cpo: z
    .strictObject({
      country_code: z.string().regex(/^[A-Z]{2}$/, 'expected ISO 3166-1 alpha-2 country code like DE'),
      party_id: z.string().regex(/^[A-Z0-9]{3}$/, 'expected 3-character OCPI party id like EXA'),
      name: z.string().min(1).max(100),
      website: z.string().url().max(255).optional(),
    })
    .prefault({ country_code: 'DE', party_id: 'EXA', name: 'Example Charging GmbH' }),
  http: z
    .strictObject({
      host: z.string().default('0.0.0.0'),
      port: port.default(8080),
      public_url: z.string().url().optional(),
      max_body_bytes: z.number().int().positive().default(1_048_576),
    })
    .prefault({}),
  database: z
    .strictObject({
      path: z.string().min(1).default('data/bridge.db'),
      // FULL: an acknowledged message survives power loss (see store/open.ts); NORMAL only a process crash.
      synchronous: z.enum(['FULL', 'NORMAL']).default('FULL'),
    })
    .prefault({}),
  log: z.strictObject({ level: z.enum(['debug', 'info', 'warn', 'error']).default('info') }).prefault({}),
  ocpp: z
    .strictObject({
      port: port.default(9000),
      heartbeat_interval: z.number().int().min(10).max(86_400).default(300),
      accept_unknown_chargers: z.boolean().default(false),
      accept_unknown_tokens: z.boolean().default(false),
      call_timeout_s: z.number().positive().max(300).default(30),
      ping_interval_s: z.number().min(0).max(3600).default(30),
      offline_grace_s: z.number().int().min(0).default(180),
      max_frame_bytes: z.number().int().min(1024).default(1_048_576),
      message_log_max: z.number().int().min(100).default(20_000),
      // Per connection: sustained calls/s, the burst allowed on top, and how many calls may wait.
      max_calls_per_second: z.number().positive().default(100),
      call_burst: z.number().int().min(1).default(1000),
      max_queued_calls: z.number().int().min(1).default(1000),
      // Per source address: failed upgrades (unknown identity, bad credentials) per minute before refusing with 429.
      auth_failures_per_minute: z.number().int().min(1).default(10),
      tls: z
        .strictObject({
          cert: z.string(),
          key: z.string(),
          ca: z.string().optional(), // profile 3: CA that signs charger client certificates
          port: port.optional(), // wss listener; default: the OCPP port serves TLS instead of plain ws
        })
        .optional(),
      tokens: z.array(localToken).default([]),
      chargers: z.array(chargerConfig).default([]),
    })
    .prefault({}),
  ocpi: z
    .strictObject({
      token_a: z.string().min(1).max(64).regex(/^[\x21-\x7e]+$/).optional(),
      page_limit_max: z.number().int().min(1).max(1000).default(100),
      request_timeout_s: z.number().positive().max(120).default(10),
      authorize_budget_s: z.number().positive().max(30).default(3),
      push_retry_max_s: z.number().int().positive().default(3600),
      session_push_interval_s: z.number().int().positive().default(60),
      // Wait this long after a transaction ends before its CDR is sealed, for meter values the charger still had queued.
      cdr_settle_s: z.number().min(0).max(3600).default(10),
      signed_data_url: z.string().url().max(255).optional(),
      // CommandResponse.timeout and ChargingProfileResponse.timeout: the result is always posted within it.
      command_timeout_s: z.number().int().min(5).max(600).default(60),
      // Each eMSP's token list is pulled after registration and then this often (changes only, date_from).
      token_pull_interval_s: z.number().int().min(60).default(3600),
    })
    .prefault({}),
  locations: z.array(locationConfig).default([]),
  tariffs: z.array(tariffConfig).default([]),
  status_page: z
    .strictObject({ enabled: z.boolean().default(true), users: z.array(statusPageUser).optional() })
    .prefault({}),
});

export type Config = z.infer<typeof configSchema>;
export type ChargerConfig = Config['ocpp']['chargers'][number];
export type LocationConfig = Config['locations'][number];
export type TariffConfig = Config['tariffs'][number];

/** Environment variables of CONTRACT.md "Run-time settings", each overriding its key. */
const ENV_OVERRIDES: Array<[string, (c: Record<string, any>, v: string) => void, 'port' | 'bool' | 'string']> = [
  ['BRIDGE_DB', (c, v) => (sub(c, 'database').path = v), 'string'],
  ['BRIDGE_HOST', (c, v) => (sub(c, 'http').host = v), 'string'],
  ['BRIDGE_OCPP_PORT', (c, v) => (sub(c, 'ocpp').port = Number(v)), 'port'],
  ['BRIDGE_HTTP_PORT', (c, v) => (sub(c, 'http').port = Number(v)), 'port'],
  ['BRIDGE_PUBLIC_URL', (c, v) => (sub(c, 'http').public_url = v), 'string'],
  ['BRIDGE_OCPI_TOKEN_A', (c, v) => (sub(c, 'ocpi').token_a = v), 'string'],
  ['BRIDGE_ACCEPT_UNKNOWN_CHARGERS', (c, v) => (sub(c, 'ocpp').accept_unknown_chargers = v === 'true'), 'bool'],
  ['BRIDGE_LOG_LEVEL', (c, v) => (sub(c, 'log').level = v), 'string'],
];

function sub(c: Record<string, any>, key: string): Record<string, any> {
  if (typeof c[key] !== 'object' || c[key] === null) c[key] = {};
  return c[key];
}

/** Parses and validates a config text; `source` names the file in messages. Throws ConfigError. */
export function parseConfig(text: string, env: Record<string, string | undefined>, source: string): Config {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(`${source}: invalid YAML: ${doc.errors[0]!.message.split('\n')[0]}`, source);
  }
  const raw = doc.toJS() ?? {};
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new ConfigError(`${source}: expected a YAML mapping at the top level`, source);
  for (const [name, apply, kind] of ENV_OVERRIDES) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    if (kind === 'port' && !/^\d{1,5}$/.test(value)) throw new ConfigError(`${name}: expected a port number 0-65535, got "${value}"`, name);
    if (kind === 'bool' && value !== 'true' && value !== 'false') throw new ConfigError(`${name}: expected true or false, got "${value}"`, name);
    apply(raw, value);
  }
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(`${source}: ${formatConfigIssues(parsed.error.issues, raw, knownKeys())}`, source);
  checkReferences(parsed.data, source);
  return parsed.data;
}

export function loadConfig(path: string, env: Record<string, string | undefined>): Config {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ConfigError(`${path}: cannot read config file (${code ?? String(err)})`, path);
  }
  return parseConfig(text, env, path);
}

/** Cross-references zod cannot see: unique identities and ids, known locations and tariffs. */
function checkReferences(config: Config, source: string): void {
  const fail = (path: string, msg: string) => {
    throw new ConfigError(`${source}: ${path}: ${msg}`, source);
  };
  const locationIds = new Set(config.locations.map((l) => l.id));
  const tariffIds = new Set(config.tariffs.map((t) => t.id));
  const seen = { identity: new Set<string>(), evse: new Set<string>(), location: new Set<string>(), tariff: new Set<string>() };
  config.locations.forEach((l, i) => {
    if (seen.location.has(l.id)) fail(`locations[${i}].id`, `duplicate location id "${l.id}"`);
    seen.location.add(l.id);
  });
  config.tariffs.forEach((t, i) => {
    if (seen.tariff.has(t.id)) fail(`tariffs[${i}].id`, `duplicate tariff id "${t.id}"`);
    seen.tariff.add(t.id);
  });
  config.ocpp.chargers.forEach((c, i) => {
    const at = `ocpp.chargers[${i}]`;
    if (seen.identity.has(c.identity)) fail(`${at}.identity`, `duplicate charger identity "${c.identity}"`);
    seen.identity.add(c.identity);
    if (!locationIds.has(c.location)) fail(`${at}.location`, `unknown location "${c.location}" (defined: ${[...locationIds].join(', ') || 'none'})`);
    if ((c.security_profile === 1 || c.security_profile === 2) && !c.password) fail(`${at}.password`, `required for security_profile ${c.security_profile}`);
    if ((c.security_profile ?? 0) >= 2 && !config.ocpp.tls) fail(`${at}.security_profile`, 'profiles 2 and 3 need ocpp.tls (cert and key)');
    if (c.security_profile === 3 && !config.ocpp.tls?.ca) fail(`${at}.security_profile`, 'profile 3 needs ocpp.tls.ca to check client certificates');
    const ocppIds = new Set<number>();
    c.evses.forEach((e, j) => {
      if (ocppIds.has(e.ocpp_id)) fail(`${at}.evses[${j}].ocpp_id`, `duplicate ocpp_id ${e.ocpp_id}`);
      ocppIds.add(e.ocpp_id);
      const uid = e.uid ?? e.evse_id;
      if (seen.evse.has(uid)) fail(`${at}.evses[${j}].evse_id`, `duplicate EVSE "${uid}"`);
      seen.evse.add(uid);
      e.connectors.forEach((k, n) =>
        k.tariff_ids.forEach((t, m) => {
          if (!tariffIds.has(t)) fail(`${at}.evses[${j}].connectors[${n}].tariff_ids[${m}]`, `unknown tariff "${t}"`);
        }),
      );
    });
  });
}

/** Path pattern -> allowed keys, read off the schema once (zod 4 leaves them off `unrecognized_keys` issues). */
let knownKeyIndex: Map<string, string[]> | undefined;
function knownKeys(): Map<string, string[]> {
  if (knownKeyIndex) return knownKeyIndex;
  knownKeyIndex = new Map();
  const walk = (schema: any, path: string): void => {
    const def = schema?._zod?.def;
    if (!def) return;
    if (def.type === 'object') {
      knownKeyIndex!.set(path, Object.keys(def.shape));
      for (const [key, child] of Object.entries(def.shape)) walk(child, path ? `${path}.${key}` : key);
    } else if (def.type === 'array') walk(def.element, `${path}.[]`.replace(/^\./, ''));
    else if (def.innerType) walk(def.innerType, path);
  };
  walk(configSchema, '');
  return knownKeyIndex;
}

function isIanaTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
