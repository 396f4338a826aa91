/**
 * Posting an asynchronous result to the eMSP's `response_url` (OCPI mod_commands §Sender POST, used as given;
 * mod_charging_profiles likewise): with our token for that platform, 2.2.1 routing headers, and before the
 * deadline the synchronous answer promised (`timeout`). OCPI has no retries, so an eMSP that fails is tried a
 * few more times while the deadline allows; every outcome is a log line with party and charger.
 */
import type { OcpiPlatformRecord } from '../../domain/ocpi-ports.js';
import type { OcpiDeps } from '../context.js';
import { callPlatform, partyOf } from '../tokens/platform-call.js';

export interface ResultPost {
  platform: OcpiPlatformRecord;
  url: string;
  body: unknown;
  /** Epoch ms by which the eMSP stops waiting. */
  deadlineMs: number;
  /** Fields for the log lines (command, charger, session, ...). */
  context: Record<string, unknown>;
}

export async function postResult(deps: Pick<OcpiDeps, 'store' | 'config' | 'fetch' | 'log'>, post: ResultPost): Promise<boolean> {
  const requestTimeoutMs = deps.config.ocpi.request_timeout_s * 1000;
  const log = { party: partyOf(post.platform), ...post.context, result: (post.body as { result?: unknown }).result };
  for (let attempt = 1; ; attempt++) {
    const leftMs = post.deadlineMs - Date.now();
    try {
      await callPlatform(deps, post.platform, { method: 'POST', url: post.url, body: post.body, timeoutMs: Math.max(1000, Math.min(requestTimeoutMs, leftMs)) });
      deps.log.info({ ...log, attempt }, 'result posted to the eMSP');
      return true;
    } catch (err) {
      const waitMs = 500 * 2 ** (attempt - 1);
      if (attempt >= 4 || Date.now() + waitMs + 1000 > post.deadlineMs) {
        deps.log.warn({ ...log, attempt, err: (err as Error).message }, 'result could not be posted to the eMSP');
        return false;
      }
      deps.log.info({ ...log, attempt, err: (err as Error).message }, 'posting the result failed; trying again');
      await new Promise((r) => setTimeout(r, waitMs));
    }
  }
}
