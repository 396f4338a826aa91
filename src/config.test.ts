import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from './config.js';

const defaultYaml = readFileSync(new URL('../config/default.yaml', import.meta.url), 'utf8');

function errorOf(text: string, env: Record<string, string> = {}): string {
  try {
    parseConfig(text, env, 'site.yaml');
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a ConfigError');
}

const minimalCharger = (evseId: string) => `
ocpp:
  chargers:
    - identity: CP-1
      location: LOC-1
      evses: [{ ocpp_id: 1, evse_id: "DE*EXA*E0001*1", connectors: [{ id: "1", standard: IEC_62196_T2, format: SOCKET, power_type: AC_3_PHASE, max_voltage: 230, max_amperage: 32 }] }]
    - identity: CP-2
      location: LOC-1
      evses: [{ ocpp_id: 1, evse_id: "${evseId}", connectors: [{ id: "1", standard: IEC_62196_T2, format: SOCKET, power_type: AC_3_PHASE, max_voltage: 230, max_amperage: 32 }] }]
locations:
  - { id: LOC-1, address: A 1, city: B, country: DEU, coordinates: { latitude: "52.520008", longitude: "13.404954" }, time_zone: Europe/Berlin }
`;

describe('config', () => {
  it('the embedded default config is valid and has the contract defaults', () => {
    const config = parseConfig(defaultYaml, {}, 'default.yaml');
    expect(config.ocpp.port).toBe(9000);
    expect(config.http.port).toBe(8080);
    expect(config.database.path).toBe('data/bridge.db');
    expect(config.ocpp.chargers[0]!.evses[0]!.evse_id).toBe('DE*EXA*E0001*1');
    expect(config.tariffs[0]!.elements[0]!.price_components[0]!.price).toBe(0.39);
  });

  it('an empty file gives a bridge with every default', () => {
    const config = parseConfig('', {}, 'empty.yaml');
    expect(config.ocpp).toMatchObject({ port: 9000, heartbeat_interval: 300, accept_unknown_chargers: false });
    expect(config.log.level).toBe('info');
    expect(config.status_page.enabled).toBe(true);
  });

  it('names the key path of a bad EVSE id with the eMI3 hint', () => {
    expect(errorOf(minimalCharger('not-an-id'))).toContain('ocpp.chargers[1].evses[0].evse_id: expected eMI3 id like DE*EXA*E0001*1');
  });

  it.each([
    ['ocpp:\n  heartbeat_intervall: 60\n', 'ocpp.heartbeat_intervall: unknown key (did you mean "heartbeat_interval"?)'],
    ['cpo:\n  country_code: DE\n  party_id: EXA\n  name: X\n  partyid: EXA\n', 'cpo.partyid: unknown key (did you mean "party_id"?)'],
    ['ocp:\n  port: 1\n', 'ocp: unknown key (did you mean "ocpp"?)'],
    ['zzzzzzzzzz: 1\n', 'zzzzzzzzzz: unknown key'],
  ])('unknown key %j is an error with a hint', (yaml, message) => {
    expect(errorOf(yaml)).toContain(message);
  });

  it.each([
    ['ocpp:\n  port: 70000\n', 'ocpp.port'],
    ['ocpp:\n  heartbeat_interval: fast\n', 'ocpp.heartbeat_interval'],
    ['cpo:\n  country_code: Germany\n  party_id: EXA\n  name: X\n', 'cpo.country_code: expected ISO 3166-1 alpha-2'],
    ['cpo:\n  country_code: DE\n  name: X\n', 'cpo.party_id: required key is missing'],
    ['log:\n  level: verbose\n', 'log.level: expected one of "debug", "info", "warn", "error", got "verbose"'],
    ['locations:\n  - { id: L, address: A, city: B, country: DEU, coordinates: { latitude: "52.5", longitude: "13.404954" }, time_zone: Europe/Berlin }\n', 'locations[0].coordinates.latitude'],
    ['locations:\n  - { id: L, address: A, city: B, country: DEU, coordinates: { latitude: "52.520008", longitude: "13.404954" }, time_zone: Mars/Olympus }\n', 'locations[0].time_zone: expected an IANA time zone'],
  ])('%j names %s', (yaml, fragment) => {
    expect(errorOf(yaml)).toContain(fragment);
  });

  it('rejects references to unknown locations and tariffs, and duplicates', () => {
    expect(errorOf(minimalCharger('DE*EXA*E0001*1'))).toContain('ocpp.chargers[1].evses[0].evse_id: duplicate EVSE "DE*EXA*E0001*1"');
    expect(errorOf(minimalCharger('DE*EXA*E0002*1').replace('location: LOC-1\n      evses: [{ ocpp_id: 1, evse_id: "DE*EXA*E0002*1"', 'location: NOWHERE\n      evses: [{ ocpp_id: 1, evse_id: "DE*EXA*E0002*1"'))).toContain(
      'ocpp.chargers[1].location: unknown location "NOWHERE"',
    );
    expect(errorOf(minimalCharger('DE*EXA*E0002*1').replace('max_amperage: 32 }] }]\nlocations', 'max_amperage: 32, tariff_ids: [NOPE] }] }]\nlocations'))).toContain(
      'ocpp.chargers[1].evses[0].connectors[0].tariff_ids[0]: unknown tariff "NOPE"',
    );
  });

  it('requires a password for security profile 1 and TLS for profiles 2-3', () => {
    const base = minimalCharger('DE*EXA*E0002*1');
    expect(errorOf(base.replace('identity: CP-2', 'identity: CP-2\n      security_profile: 1'))).toContain('ocpp.chargers[1].password: required for security_profile 1');
    expect(errorOf(base.replace('identity: CP-2', 'identity: CP-2\n      security_profile: 3'))).toContain('profiles 2 and 3 need ocpp.tls');
  });

  it('reports invalid YAML with the file name', () => {
    expect(errorOf('ocpp: [unclosed\n')).toMatch(/^site\.yaml: invalid YAML/);
    expect(errorOf('- a list\n')).toContain('expected a YAML mapping');
  });

  it('every contract environment variable overrides its key', () => {
    const config = parseConfig(defaultYaml, {
      BRIDGE_DB: '/tmp/x.db', BRIDGE_HOST: '127.0.0.1', BRIDGE_OCPP_PORT: '0', BRIDGE_HTTP_PORT: '8081', BRIDGE_PUBLIC_URL: 'https://cpo.example.com',
      BRIDGE_OCPI_TOKEN_A: 'token-a-123', BRIDGE_ACCEPT_UNKNOWN_CHARGERS: 'true', BRIDGE_LOG_LEVEL: 'debug',
    }, 'default.yaml');
    expect(config.database.path).toBe('/tmp/x.db');
    expect(config.http.host).toBe('127.0.0.1');
    expect(config.ocpp.port).toBe(0);
    expect(config.http.port).toBe(8081);
    expect(config.http.public_url).toBe('https://cpo.example.com');
    expect(config.ocpi.token_a).toBe('token-a-123');
    expect(config.ocpp.accept_unknown_chargers).toBe(true);
    expect(config.log.level).toBe('debug');
  });

  it.each([
    [{ BRIDGE_OCPP_PORT: 'ninety' }, 'BRIDGE_OCPP_PORT: expected a port number'],
    [{ BRIDGE_HTTP_PORT: '99999' }, 'http.port'],
    [{ BRIDGE_ACCEPT_UNKNOWN_CHARGERS: 'yes' }, 'BRIDGE_ACCEPT_UNKNOWN_CHARGERS: expected true or false'],
    [{ BRIDGE_LOG_LEVEL: 'loud' }, 'log.level'],
  ])('a bad environment value %j is named', (env, fragment) => {
    expect(errorOf('', env as Record<string, string>)).toContain(fragment);
  });
});
