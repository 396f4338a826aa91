/**
 * How the status page writes numbers and instants: kWh, kW, durations, "3 s ago", and local times in the
 * site's time zone. The page's script repeats `ago()` every second from the same epoch milliseconds.
 */

export function energy(wh: number | null | undefined): string {
  if (wh === null || wh === undefined || !Number.isFinite(wh)) return '–';
  return wh >= 100_000 ? `${(wh / 1000).toFixed(0)} kWh` : `${(wh / 1000).toFixed(2)} kWh`;
}

export function power(w: number | null | undefined): string {
  if (w === null || w === undefined || !Number.isFinite(w)) return '–';
  return w >= 1_000_000 ? `${(w / 1_000_000).toFixed(2)} MW` : `${(w / 1000).toFixed(1)} kW`;
}

export function duration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ${String(m % 60).padStart(2, '0')} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

export function ago(atMs: number | null | undefined, nowMs: number): string {
  if (atMs === null || atMs === undefined) return 'never';
  const s = Math.round((nowMs - atMs) / 1000);
  if (s < 0) return `in ${duration(-s)}`;
  return `${duration(s)} ago`;
}

const formats = new Map<string, Intl.DateTimeFormat>();
function formatFor(timeZone: string): Intl.DateTimeFormat {
  let f = formats.get(timeZone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('sv-SE', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    } catch {
      f = new Intl.DateTimeFormat('sv-SE', { timeZone: 'UTC', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    }
    formats.set(timeZone, f);
  }
  return f;
}

/** `2026-11-25 10:00:00` in the given IANA zone ('sv-SE' writes ISO-like dates). */
export function localTime(atMs: number | null | undefined, timeZone: string): string {
  if (atMs === null || atMs === undefined) return '–';
  return formatFor(timeZone).format(new Date(atMs));
}

/** Offset of `timeZone` from UTC at `atMs`, in ms. */
function offsetMs(atMs: number, timeZone: string): number {
  const parts = Object.fromEntries(formatFor(timeZone).formatToParts(new Date(atMs)).map((p) => [p.type, p.value]));
  const asUtc = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return asUtc - Math.floor(atMs / 1000) * 1000;
}

/** The instant local midnight began in `timeZone` on the day of `nowMs` ("energy today"). */
export function startOfDayMs(nowMs: number, timeZone: string): number {
  const local = nowMs + offsetMs(nowMs, timeZone);
  const midnightLocal = Math.floor(local / 86_400_000) * 86_400_000;
  // the offset at midnight may differ from now (a DST change today): correct once with the offset then
  let guess = midnightLocal - offsetMs(nowMs, timeZone);
  guess = midnightLocal - offsetMs(guess, timeZone);
  return guess;
}

/** Shortens long text for a table cell. */
export function clip(text: string | null | undefined, max = 60): string {
  if (!text) return '';
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
