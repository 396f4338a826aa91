/**
 * The page's stylesheet and script, served as files (no build step, and the Content-Security-Policy allows no
 * inline script or style). The script keeps "3 s ago" current and, on an SSE `refresh`, fetches the page again
 * with `X-Live: 1` and swaps its `[data-region]` elements by id (open <details> stay open); only markup the
 * server rendered and escaped is inserted.
 */

export const STATUS_JS = `(function () {
  'use strict';
  var body = document.body;
  function dur(s) {
    s = Math.max(0, Math.floor(s));
    if (s < 60) return s + ' s';
    var m = Math.floor(s / 60);
    if (m < 60) return m + ' min';
    var h = Math.floor(m / 60);
    if (h < 48) return h + ' h ' + String(m % 60).padStart(2, '0') + ' min';
    return Math.floor(h / 24) + ' d ' + (h % 24) + ' h';
  }
  function ago(ms) {
    var s = Math.round((Date.now() - ms) / 1000);
    return s < 0 ? 'in ' + dur(-s) : dur(s) + ' ago';
  }
  function tick() {
    document.querySelectorAll('[data-at]').forEach(function (el) { el.textContent = ago(Number(el.getAttribute('data-at'))); });
    document.querySelectorAll('[data-since]').forEach(function (el) { el.textContent = dur((Date.now() - Number(el.getAttribute('data-since'))) / 1000); });
  }
  setInterval(tick, 1000);
  var key = body.getAttribute('data-live');
  if (!key || !window.EventSource) return;
  var badge = document.getElementById('live');
  function state(ok) {
    if (!badge) return;
    badge.className = 'live ' + (ok ? 'on' : 'off');
    badge.textContent = ok ? '\\u25cf live' : '\\u25cb reconnecting\\u2026';
  }
  var busy = false, again = false;
  function refresh() {
    if (busy) { again = true; return; }
    busy = true;
    fetch(location.pathname + location.search, { headers: { 'X-Live': '1', 'Accept': 'text/html' }, credentials: 'same-origin', cache: 'no-store' })
      .then(function (res) {
        if (res.status === 401 || res.status === 403) { location.reload(); throw new Error('logged out'); }
        if (!res.ok) throw new Error('HTTP ' + res.status);
        return res.text();
      })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, 'text/html');
        doc.querySelectorAll('[data-region][id]').forEach(function (fresh) {
          var old = document.getElementById(fresh.id);
          if (!old) return;
          var open = [];
          old.querySelectorAll('details[open][id]').forEach(function (d) { open.push(d.id); });
          old.replaceWith(document.importNode(fresh, true));
          open.forEach(function (id) { var d = document.getElementById(id); if (d) d.open = true; });
        });
        tick();
        body.setAttribute('data-refreshed', String(Date.now()));
      })
      .catch(function () {})
      .then(function () { busy = false; if (again) { again = false; refresh(); } });
  }
  var down = false;
  var es = new EventSource('/events?page=' + encodeURIComponent(key));
  es.addEventListener('open', function () { state(true); if (down) { down = false; refresh(); } });
  es.addEventListener('error', function () { down = true; state(false); });
  es.addEventListener('refresh', refresh);
})();
`;

export const STATUS_CSS = `
:root { --ok: #1a7f37; --bad: #cf222e; --warn: #9a6700; --off: #6e7781; --info: #0969da; --purple: #8250df;
  --bg: #f6f8fa; --fg: #1f2328; --card: #fff; --line: #d0d7de; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); font-size: 15px; line-height: 1.4; }
a { color: var(--info); }
header.top { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem 1rem; padding: .5rem 1rem; background: #24292f; color: #fff; }
header.top a { color: #fff; text-decoration: none; }
header.top nav { display: flex; gap: .75rem; flex-wrap: wrap; }
header.top nav a[aria-current=page] { border-bottom: 2px solid #fff; }
.brand { font-weight: 700; }
.live { margin-left: auto; font-size: .85rem; }
.live.on { color: #4ac26b; } .live.off { color: #ffb000; }
.logout button { background: transparent; color: #fff; border: 1px solid #8c959f; border-radius: 4px; padding: .2rem .5rem; cursor: pointer; }
main { padding: 1rem; max-width: 1400px; margin: 0 auto; }
footer { padding: 1rem; text-align: center; font-size: .8rem; }
h1 { font-size: 1.4rem; margin: .25rem 0 .75rem; } h2 { font-size: 1.15rem; margin: 1.5rem 0 .5rem; } h3 { font-size: 1rem; }
section { margin-bottom: 1rem; }
.muted { color: var(--off); }
.ok { color: var(--ok); } .bad { color: var(--bad); } .warn { color: var(--warn); } .info { color: var(--info); } .off { color: var(--off); } .purple { color: var(--purple); }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
.tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(10rem, 1fr)); gap: .75rem; }
.tile { display: flex; flex-direction: column; padding: .75rem; border-radius: 8px; background: var(--card); border: 1px solid var(--line); border-left: 6px solid currentColor; text-decoration: none; }
.tile-label { font-size: .85rem; font-weight: 600; }
.tile-value { font-size: 1.9rem; font-weight: 700; color: var(--fg); }
.tile-sub { font-size: .8rem; color: var(--off); }
.tile.bad { background: #ffebe9; } .tile.warn { background: #fff8c5; }
.chips { display: flex; flex-wrap: wrap; gap: .4rem; align-items: center; margin: .75rem 0; }
.chip { display: inline-block; padding: .1rem .5rem; border-radius: 999px; border: 1px solid currentColor; font-size: .8rem; white-space: nowrap; background: var(--card); }
.chips-cell .chip { margin: 0 .15rem .15rem 0; }
.badge { display: inline-block; padding: .05rem .45rem; border-radius: 4px; font-size: .8rem; font-weight: 600; background: var(--card); border: 1px solid currentColor; white-space: nowrap; }
.problems { list-style: none; padding: 0; margin: 0; }
.problems li { padding: .5rem .75rem; margin-bottom: .35rem; border-radius: 6px; background: var(--card); border: 1px solid var(--line); border-left: 6px solid var(--warn); }
.problems li.bad { border-left-color: var(--bad); } .problems li.cleared { border-left-color: var(--ok); opacity: .75; }
.problems .icon { display: inline-block; width: 1.2rem; }
.problems li.bad .icon { color: var(--bad); } .problems li.warn .icon { color: var(--warn); }
.reports { list-style: none; padding: 0; margin: 0; } .reports li { margin-bottom: .35rem; }
.allgood { padding: .75rem; border-radius: 6px; background: #dafbe1; font-weight: 600; }
.scroll { overflow-x: auto; -webkit-overflow-scrolling: touch; background: var(--card); border: 1px solid var(--line); border-radius: 6px; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; }
th, td { text-align: left; padding: .35rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: #eaeef2; font-weight: 600; white-space: nowrap; }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
tr.bad td { background: #ffebe9; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; background: var(--card); padding: .75rem; border: 1px solid var(--line); border-radius: 6px; }
.facts dt { font-weight: 600; } .facts dd { margin: 0; overflow-wrap: anywhere; }
.actions { display: flex; flex-wrap: wrap; gap: .4rem; margin: .75rem 0; }
td.actions { margin: 0; }
.button, button { display: inline-block; padding: .35rem .75rem; border-radius: 6px; border: 1px solid var(--line); background: #f6f8fa; color: var(--fg); font: inherit; text-decoration: none; cursor: pointer; }
.button.small { padding: .15rem .5rem; font-size: .8rem; }
.button.danger, button.danger { color: #fff; background: var(--bad); border-color: var(--bad); }
.flash { padding: .6rem 1rem; margin: .75rem 1rem 0; border-radius: 6px; border: 1px solid currentColor; background: var(--card); font-weight: 600; }
.flash.ok { background: #dafbe1; } .flash.warn { background: #fff8c5; } .flash.error { color: var(--bad); background: #ffebe9; }
main .flash { margin: .5rem 0; }
.filter { display: flex; flex-wrap: wrap; gap: .5rem; align-items: end; margin-bottom: .5rem; }
input, select { font: inherit; padding: .3rem; border: 1px solid var(--line); border-radius: 4px; }
.traffic { list-style: none; padding: 0; margin: 0; font-size: .85rem; }
.traffic li { border-bottom: 1px solid var(--line); background: var(--card); }
.traffic summary { cursor: pointer; padding: .3rem .5rem; display: flex; flex-wrap: wrap; gap: .5rem; align-items: baseline; }
.traffic .dir { font-family: ui-monospace, monospace; min-width: 3.5rem; }
.traffic li.in .dir { color: var(--info); } .traffic li.out .dir { color: var(--purple); }
.traffic li.error summary, .traffic li.bad summary { background: #ffebe9; }
.traffic .kind { color: var(--off); }
pre.json { margin: 0; padding: .5rem; background: #f6f8fa; overflow: auto; max-height: 30rem; font-size: .8rem; white-space: pre-wrap; overflow-wrap: anywhere; }
.spark { color: var(--info); vertical-align: middle; }
.spark .axis { stroke: var(--line); stroke-width: 1; }
.spark-none { font-size: .75rem; }
.empty { padding: .5rem 0; }
.emsp { background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: .5rem .75rem; margin-bottom: .75rem; }
.emsp h2 { margin: .25rem 0; }
.confirm, .notfound { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 1rem; max-width: 40rem; }
body.login main { max-width: 24rem; margin-top: 10vh; }
body.login form { display: flex; flex-direction: column; gap: .75rem; background: var(--card); padding: 1rem; border: 1px solid var(--line); border-radius: 8px; }
body.login label { display: flex; flex-direction: column; gap: .25rem; }
@media (max-width: 600px) {
  main { padding: .5rem; }
  .tiles { grid-template-columns: repeat(2, 1fr); gap: .5rem; }
  .tile-value { font-size: 1.5rem; }
  .facts { grid-template-columns: 1fr; } .facts dt { margin-top: .3rem; }
  th, td { padding: .3rem .4rem; }
}
`;
