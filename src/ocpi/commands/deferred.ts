/**
 * The asynchronous half of commands and charging profiles: the charger's work runs after the synchronous
 * answer, raced against the `timeout` that answer promised, and its result is POSTed to the eMSP's
 * `response_url` before that deadline. Work that is still running when the deadline nears is answered TIMEOUT
 * (OCPI has no retries, so a late result is worthless); work that throws is FAILED. Nothing is left waiting.
 */
import type { OcpiPlatformRecord } from '../../domain/ocpi-ports.js';
import type { OcpiDeps } from '../context.js';
import { postResult } from './result.js';

/** Time kept back from the deadline for the POST itself. */
const POST_MARGIN_MS = 3000;

export function runThenPost<T>(deps: Pick<OcpiDeps, 'store' | 'config' | 'fetch' | 'log'>, job: {
  platform: OcpiPlatformRecord;
  responseUrl: string;
  deadlineMs: number;
  context: Record<string, unknown>;
  run: () => Promise<T>;
  onTimeout: () => T;
  onError: (err: Error) => T;
  body: (outcome: T) => unknown;
}): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(job.onTimeout()), Math.max(0, job.deadlineMs - Date.now() - POST_MARGIN_MS));
  });
  const work = job.run().catch((err: Error) => {
    deps.log.error({ ...job.context, err: err.message }, 'command failed inside the bridge');
    return job.onError(err);
  });
  return Promise.race([work, timeout])
    .finally(() => clearTimeout(timer))
    .then((outcome) => postResult(deps, { platform: job.platform, url: job.responseUrl, body: job.body(outcome), deadlineMs: job.deadlineMs, context: job.context }));
}
