/**
 * OCMF reading time `TM` (spec Table 7, reference §1.1): `YYYY-MM-DDThh:mm:ss,fff±hhmm <status>`, comma
 * before the milliseconds, offset without colon, one space, time status U (unknown), I (informative),
 * S (synchronized), R (relative). A '.' before the fraction and a colon in the offset are tolerated.
 */
const TM = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:[,.](\d{1,9}))?([+-])(\d{2}):?(\d{2})(?: +(\S+))?$/;
const DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** TM -> instant and status; `time` is undefined when TM is not a valid OCMF time. Never throws. */
export function parseTm(tm: string): { time?: Date; status?: string } {
  const m = TM.exec(tm);
  if (!m) return {};
  const y = +m[1], mo = +m[2], d = +m[3], h = +m[4], mi = +m[5], sec = +m[6];
  // Date.UTC would roll Feb 30 over to Mar 2: such a TM is not a valid time.
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  const valid = mo >= 1 && mo <= 12 && d >= 1 && d <= (mo === 2 && !leap ? 28 : DAYS[mo - 1]) && h <= 23 && mi <= 59 && sec <= 59;
  if (!valid) return { status: m[11] };
  const ms = m[7] === undefined ? 0 : +m[7].slice(0, 3).padEnd(3, '0');
  const offsetMin = (m[8] === '-' ? -1 : 1) * (+m[9] * 60 + +m[10]);
  return { time: new Date(Date.UTC(y, mo - 1, d, h, mi, sec, ms) - offsetMin * 60_000), status: m[11] };
}
