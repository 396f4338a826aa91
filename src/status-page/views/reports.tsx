/**
 * The charger page's "Reports" section: per kind the newest report the charger sent (monitors, charging
 * profiles, customer information, display messages, ...), collapsed, as indented JSON. hono/jsx escapes
 * every value: the content is whatever the charger sent.
 */
import type { ReportView } from '../reports.js';
import { At, chargerHref, Empty } from './common.js';

export function ChargerReports({ identity, reports, timeZone }: { identity: string; reports: ReportView[]; timeZone: string }) {
  const base = chargerHref(identity);
  return (
    <section id="r-reports" data-region>
      <h2>Reports</h2>
      {reports.length === 0 ? <Empty>The charger has sent no report (monitors, charging profiles, customer information, display messages, …).</Empty> : (
        <ul class="reports">
          {reports.map((r) => (
            <li data-report={r.kind}>
              <details id={`report-${r.kind}`}>
                <summary>
                  <b>{r.label}</b>
                  <span class="muted">
                    {r.requestId !== null ? ` · request ${r.requestId} · ${r.pages} page${r.pages === 1 ? '' : 's'}` : ` · newest ${r.pages}`}
                    {' · '}<At atMs={r.lastAtMs} timeZone={timeZone} />
                    {` · ${r.stored} kept`}
                  </span>
                  {r.incomplete ? <span class="badge warn"> incomplete: more pages announced (tbc)</span> : null}
                </summary>
                <pre class="json">{r.text}</pre>
                {r.truncated ? <p><a href={`${base}/reports/${r.kind}.json`} download>Download all kept {r.label} reports</a></p> : null}
              </details>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
