/**
 * Turns zod issues on the config into one message a site engineer can act on:
 * the key path in YAML terms (`ocpp.chargers[1].evses[0].evse_id`) and what is wrong,
 * with a "did you mean" hint for misspelt keys.
 */
import type { z } from 'zod';

/** `knownKeys` maps a path pattern (`ocpp.chargers.[]`) to the keys allowed there, for "did you mean". */
export function formatConfigIssues(issues: z.core.$ZodIssue[], raw: unknown, knownKeys: Map<string, string[]>): string {
  return issues.slice(0, 5).map((issue) => formatIssue(issue, raw, knownKeys)).join('; ');
}

function formatIssue(issue: z.core.$ZodIssue, raw: unknown, knownKeys: Map<string, string[]>): string {
  const path = formatPath(issue.path);
  if (issue.code === 'unrecognized_keys') {
    const known = knownKeys.get(issue.path.map((p) => (typeof p === 'number' ? '[]' : String(p))).join('.')) ?? [];
    return issue.keys
      .map((key) => {
        const hint = closest(key, known);
        const where = path ? `${path}.${key}` : key;
        return `${where}: unknown key${hint ? ` (did you mean "${hint}"?)` : ''}`;
      })
      .join('; ');
  }
  if (issue.code === 'invalid_type' && valueAt(raw, issue.path) === undefined) return `${path}: required key is missing`;
  if (issue.code === 'invalid_value' && 'values' in issue) {
    return `${path}: expected one of ${(issue.values as unknown[]).map((v) => JSON.stringify(v)).join(', ')}, got ${JSON.stringify(valueAt(raw, issue.path))}`;
  }
  return `${path || '(top level)'}: ${issue.message}`;
}

export function formatPath(path: PropertyKey[]): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : out ? `.${String(part)}` : String(part);
  return out;
}

function valueAt(raw: unknown, path: PropertyKey[]): unknown {
  let cur: any = raw;
  for (const p of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = cur[p as any];
  }
  return cur;
}

/** The closest known key within an edit distance of 3, or undefined. */
export function closest(key: string, known: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 4;
  for (const candidate of known) {
    const d = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = candidate;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}
