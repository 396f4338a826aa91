/**
 * OCPI 2.2.1 message routing headers (transport_and_format §Message Routing) on functional modules only:
 * the request's OCPI-from-* names the requesting party (one of the caller's roles, any party when the caller
 * is a hub), OCPI-to-* must name us; the response swaps them. Absent headers are accepted (direct
 * connections from peers that omit them) and the caller's own party is assumed. Not used on 2.1.1.
 */
import { createMiddleware } from 'hono/factory';
import type { Config } from '../../config.js';
import type { OcpiEnv } from '../context.js';
import { OcpiError, OcpiStatus } from '../envelope.js';

export function routingHeaders(cpo: Config['cpo']) {
  return createMiddleware<OcpiEnv>(async (c, next) => {
    const caller = c.get('caller');
    const parties = caller.kind === 'platform' ? caller.platform.parties : [];
    const isHub = parties.some((p) => p.role === 'HUB');
    const toCc = c.req.header('OCPI-to-country-code');
    const toPid = c.req.header('OCPI-to-party-id');
    if ((toCc !== undefined || toPid !== undefined) && !(same(toCc, cpo.country_code) && same(toPid, cpo.party_id))) {
      throw new OcpiError(OcpiStatus.INVALID_PARAMETERS, 404, `OCPI-to ${toCc ?? '?'}/${toPid ?? '?'} is not a party on this platform (${cpo.country_code}/${cpo.party_id})`);
    }
    const fromCc = c.req.header('OCPI-from-country-code');
    const fromPid = c.req.header('OCPI-from-party-id');
    let from: { countryCode: string; partyId: string } | undefined;
    if (fromCc !== undefined || fromPid !== undefined) {
      const known = parties.find((p) => same(fromCc, p.countryCode) && same(fromPid, p.partyId));
      if (!known && !isHub) throw new OcpiError(OcpiStatus.INVALID_PARAMETERS, 404, `OCPI-from ${fromCc ?? '?'}/${fromPid ?? '?'} is not one of the caller's registered parties`);
      from = { countryCode: (fromCc ?? '').toUpperCase(), partyId: (fromPid ?? '').toUpperCase() };
    } else {
      const own = parties.find((p) => p.role === 'EMSP') ?? parties[0];
      if (own) from = { countryCode: own.countryCode, partyId: own.partyId };
    }
    if (from) c.set('from', from);
    c.header('OCPI-from-country-code', cpo.country_code);
    c.header('OCPI-from-party-id', cpo.party_id);
    if (from) {
      c.header('OCPI-to-country-code', from.countryCode);
      c.header('OCPI-to-party-id', from.partyId);
    }
    await next();
  });
}

/** CiString comparison (case-insensitive); a missing half never matches. */
function same(a: string | undefined, b: string): boolean {
  return a !== undefined && a.toUpperCase() === b.toUpperCase();
}
