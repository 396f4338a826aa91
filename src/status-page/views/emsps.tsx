/**
 * eMSPs: every registered OCPI platform with its parties and roles, version, and per module the last push,
 * its outcome and whether it is failing, plus what waits in the push queue and the undelivered CDRs.
 */
import type { EmspView } from '../data.js';
import { Ago, Empty } from './common.js';

export function EmspsPage({ emsps, cdrs, nowMs, timeZone }: { emsps: EmspView[] | null; cdrs: { undelivered: number; oldestMs: number | null } | null; nowMs: number; timeZone: string }) {
  return (
    <section id="r-emsps" data-region>
      <h1>eMSPs</h1>
      <p>
        Undelivered CDRs:{' '}
        {cdrs === null ? <span class="muted">n/a (the CDR module is not running)</span>
          : cdrs.undelivered === 0 ? <span class="ok">✔ none</span>
          : <span class="warn">⚠ {cdrs.undelivered}, oldest <Ago atMs={cdrs.oldestMs} nowMs={nowMs} timeZone={timeZone} /></span>}
      </p>
      {emsps === null ? <Empty>OCPI is not running in this bridge: n/a.</Empty> : emsps.length === 0 ? (
        <Empty>No eMSP registered yet. `npm run ocpi -- token-a` prints a registration token A to give an eMSP with the versions URL.</Empty>
      ) : emsps.map((p) => (
        <article class={`emsp ${p.health}`} data-platform={p.id}>
          <h2>
            <span class={`badge ${p.health === 'ok' ? 'ok' : p.health === 'failing' ? 'bad' : 'off'}`}>{p.health === 'ok' ? '✔ ok' : p.health === 'failing' ? '✖ failing' : '○ no push yet'}</span>{' '}
            {p.name ?? `platform ${p.id}`} <span class="muted">· OCPI {p.version ?? '?'} · {p.status}</span>
          </h2>
          <p>
            Parties: {p.parties.map((x) => `${x.countryCode} ${x.partyId} (${x.role})`).join(', ') || '–'} ·
            registered <Ago atMs={p.registeredAtMs} nowMs={nowMs} timeZone={timeZone} /> · last request from it <Ago atMs={p.lastSeenAtMs} nowMs={nowMs} timeZone={timeZone} /> ·
            {' '}<span class={p.queued ? 'warn' : ''}>{p.queued} queued for push</span>
          </p>
          {p.modules.length === 0 ? <Empty>Nothing pushed yet.</Empty> : (
            <div class="scroll">
              <table>
                <thead><tr><th>Module</th><th>Last push</th><th>Outcome</th><th>Last success</th></tr></thead>
                <tbody>
                  {p.modules.map((m) => (
                    <tr class={m.ok ? '' : 'bad'}>
                      <td>{m.module}</td>
                      <td><Ago atMs={m.lastAttemptAtMs} nowMs={nowMs} timeZone={timeZone} /></td>
                      <td>{m.ok ? '✔ ' : '✖ '}{m.lastOutcome}</td>
                      <td><Ago atMs={m.lastSuccessAtMs} nowMs={nowMs} timeZone={timeZone} /></td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </article>
      ))}
    </section>
  );
}
