import { describe, expect, it } from 'vitest';
import { createReportAssembler } from './notify-report.js';

const item = (name: string) => ({ component: { name: 'C' }, variable: { name }, variableAttribute: [{ value: '1' }] });
const page = (requestId: number, seqNo: number, tbc: boolean, names: string[] = [`v${seqNo}`]) =>
  ({ requestId, generatedAt: '2026-12-05T10:00:00Z', seqNo, tbc, reportData: names.map(item) });

describe('device model report assembly (B07/B08)', () => {
  it('joins the pages in seqNo order once the last one is in', () => {
    const reports = createReportAssembler();
    expect(reports.add('CS-1', page(7, 1, true), 0)).toBeUndefined();
    expect(reports.add('CS-1', page(7, 0, true), 0)).toBeUndefined();
    const report = reports.add('CS-1', page(7, 2, false), 0)!;
    expect(report.variables.map((v) => v.variable.name)).toEqual(['v0', 'v1', 'v2']);
    expect(report).toMatchObject({ requestId: 7, missingPages: [], missingPageCount: 0 });
  });

  it('stores a report with pages missing and names the gap', () => {
    const reports = createReportAssembler();
    reports.add('CS-1', page(1, 0, true), 0);
    const report = reports.add('CS-1', page(1, 3, false), 0)!;
    expect(report).toMatchObject({ missingPages: [1, 2], missingPageCount: 2 });
    expect(report.variables).toHaveLength(2);
  });

  it('counts a gap up to a seqNo of 2^31 without walking it, and names only its first pages', () => {
    const reports = createReportAssembler();
    reports.add('CS-1', page(1, 0, true), 0);
    const report = reports.add('CS-1', page(1, 2 ** 31 - 1, false), 0)!;
    expect(report.missingPageCount).toBe(2 ** 31 - 2);
    expect(report.missingPages).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it('ends on a seqNo beyond 2^53, where counting up by one no longer moves', () => {
    const reports = createReportAssembler();
    reports.add('CS-1', page(1, 2 ** 53 + 2, true), 0);
    const report = reports.add('CS-1', page(1, 2 ** 53 + 4, false), 0)!;
    expect(report.missingPages).toHaveLength(20);
    expect(report.variables).toHaveLength(2);
  });

  it('holds at most 16 unfinished reports per station, dropping the oldest, and leaves other stations alone', () => {
    const reports = createReportAssembler();
    reports.add('CS-2', page(1, 0, true), 0);
    for (let requestId = 1; requestId <= 17; requestId++) reports.add('CS-1', page(requestId, 0, true), 0);
    // request 1 of CS-1 was dropped: its last page alone is all that is left of it
    expect(reports.add('CS-1', page(1, 1, false), 0)).toMatchObject({ missingPages: [0], missingPageCount: 1 });
    expect(reports.add('CS-1', page(17, 1, false), 0)).toMatchObject({ missingPages: [], missingPageCount: 0 });
    expect(reports.add('CS-2', page(1, 1, false), 0)).toMatchObject({ missingPages: [], missingPageCount: 0 });
  });

  it('drops reports unfinished after ten minutes', () => {
    const reports = createReportAssembler();
    reports.add('CS-1', page(1, 0, true), 0);
    expect(reports.add('CS-1', page(1, 1, false), 10 * 60_000 + 1)).toMatchObject({ missingPages: [0] });
  });
});
