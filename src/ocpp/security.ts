/**
 * OCPP security profiles at the WebSocket upgrade (OCPP 1.6 Security Whitepaper, 2.0.1 P2 A00):
 * 0 = none, 1 = HTTP Basic (user = identity) over ws or wss, 2 = TLS + Basic, 3 = TLS with a client
 * certificate from the configured CA whose CN equals the identity. Passwords compare in constant time.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { TLSSocket } from 'node:tls';

export interface ChargerSecurity {
  profile: 0 | 1 | 2 | 3;
  password?: string;
}

export type Verdict = { ok: true } | { ok: false; why: string };

export function checkCredentials(security: ChargerSecurity, conn: { identity: string; password?: Buffer; tls?: TLSSocket }): Verdict {
  const { profile } = security;
  if (profile >= 2 && !conn.tls) return { ok: false, why: `profile ${profile} requires TLS (wss://)` };
  if (profile === 3) {
    const socket = conn.tls!;
    const cert = socket.getPeerCertificate();
    if (!cert || Object.keys(cert).length === 0) return { ok: false, why: 'no client certificate' };
    if (!socket.authorized) return { ok: false, why: `client certificate not trusted: ${String(socket.authorizationError)}` };
    const cn = Array.isArray(cert.subject?.CN) ? cert.subject.CN[0] : cert.subject?.CN;
    if (cn !== conn.identity) return { ok: false, why: 'client certificate CN does not match the identity' };
    return { ok: true };
  }
  if (profile === 0) return { ok: true };
  if (!security.password) return { ok: false, why: 'no password configured' };
  if (!conn.password) return { ok: false, why: 'no Basic credentials for this identity' };
  return passwordMatches(conn.password, security.password) ? { ok: true } : { ok: false, why: 'wrong password' };
}

/** Constant time over equal-length digests, so neither the content nor the length leaks through timing. */
export function passwordMatches(offered: Buffer, expected: string): boolean {
  const a = createHash('sha256').update(offered).digest();
  const b = createHash('sha256').update(Buffer.from(expected, 'utf8')).digest();
  return timingSafeEqual(a, b);
}
