/**
 * Calls to another OCPI platform, as the credentials handshake and the push need them: the Authorization
 * form the peer expects, fresh X-Request-ID / X-Correlation-ID, a bounded timeout, and one error class
 * whose `kind` says what went wrong (unreachable, timeout, HTTP status, not an OCPI envelope, OCPI error
 * status). Never logs or returns the token.
 */
import { randomUUID } from 'node:crypto';
import { authorizationHeader } from './tokens.js';

export type PeerErrorKind = 'unreachable' | 'timeout' | 'http' | 'bad-response' | 'ocpi-status';

export class PeerError extends Error {
  override readonly name = 'PeerError';
  constructor(readonly kind: PeerErrorKind, message: string, readonly httpStatus?: number, readonly ocpiStatus?: number) {
    super(message);
  }
}

export interface PeerCall {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  token: string;
  encoding: 'base64' | 'plain';
  body?: unknown;
  timeoutMs: number;
  headers?: Record<string, string>;
}

export interface PeerResponse {
  httpStatus: number;
  statusCode: number;
  data: unknown;
  headers: Headers;
}

export async function callPeer(fetchImpl: typeof fetch, call: PeerCall): Promise<PeerResponse> {
  const headers: Record<string, string> = {
    Authorization: authorizationHeader(call.token, call.encoding), 'X-Request-ID': randomUUID(), 'X-Correlation-ID': randomUUID(), ...call.headers,
  };
  if (call.body !== undefined) headers['Content-Type'] = 'application/json';
  let res: Response;
  let text: string;
  const what = `${call.method} ${call.url}`;
  try {
    res = await fetchImpl(call.url, { method: call.method, headers, body: call.body === undefined ? undefined : JSON.stringify(call.body), signal: AbortSignal.timeout(call.timeoutMs) });
    text = await res.text();
  } catch (err) {
    const e = err as Error;
    if (e.name === 'TimeoutError' || e.name === 'AbortError') throw new PeerError('timeout', `${what}: no answer within ${call.timeoutMs} ms`);
    throw new PeerError('unreachable', `${what}: ${(e.cause as Error | undefined)?.message ?? e.message}`);
  }
  let parsed: any;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const statusCode = typeof parsed?.status_code === 'number' ? parsed.status_code : undefined;
  if (res.status < 200 || res.status > 299) {
    throw new PeerError('http', `${what}: HTTP ${res.status}${statusCode !== undefined ? ` (OCPI ${statusCode})` : ''}`, res.status, statusCode);
  }
  if (statusCode === undefined) throw new PeerError('bad-response', `${what}: the answer is not an OCPI envelope`, res.status);
  if (statusCode < 1000 || statusCode > 1999) {
    throw new PeerError('ocpi-status', `${what}: OCPI status ${statusCode}${parsed.status_message ? ` (${String(parsed.status_message).slice(0, 200)})` : ''}`, res.status, statusCode);
  }
  return { httpStatus: res.status, statusCode, data: parsed.data, headers: res.headers };
}
