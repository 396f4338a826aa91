/**
 * Charging profiles of the simulated 2.0.1 station (block K): kept per EVSE as installed, replaced by id,
 * validated as K01 says (ChargingStationMaxProfile only on EVSE 0, a TxProfile only for the transaction running
 * on that EVSE), cleared by id or criteria (K10), listed for GetChargingProfiles (K09), and combined into a
 * composite schedule (K08): per purpose the highest stack level wins; the result is the lowest of the station
 * maximum, external constraints, the transaction's limit (TxProfile, else TxDefaultProfile) and the hardware.
 */

export interface SchedulePeriod { startPeriod: number; limit: number; numberPhases?: number }
export interface ChargingSchedule { id: number; startSchedule?: string; duration?: number; chargingRateUnit: 'A' | 'W'; chargingSchedulePeriod: SchedulePeriod[]; minChargingRate?: number }
export interface ChargingProfile {
  id: number;
  stackLevel: number;
  chargingProfilePurpose: 'ChargingStationExternalConstraints' | 'ChargingStationMaxProfile' | 'TxDefaultProfile' | 'TxProfile';
  chargingProfileKind: 'Absolute' | 'Recurring' | 'Relative';
  recurrencyKind?: 'Daily' | 'Weekly';
  validFrom?: string;
  validTo?: string;
  transactionId?: string;
  chargingSchedule: ChargingSchedule[];
}
export interface Installed { evseId: number; profile: ChargingProfile; installedAtMs: number }

/** What the profiles need to know about the station. */
export interface StationFacts {
  evseIds: number[];
  /** The transaction running on an EVSE: its id and start. */
  transactionOn(evseId: number): { id: string; startedAtMs: number } | undefined;
  /** Hardware limit of one EVSE. */
  maxCurrentA: number;
  maxPowerW: number;
}

export const VOLTAGE_V = 230;
const toUnit = (limit: number, from: 'A' | 'W', to: 'A' | 'W', phases: number) =>
  from === to ? limit : to === 'W' ? limit * VOLTAGE_V * phases : limit / (VOLTAGE_V * phases);

export class ChargingProfiles {
  installed: Installed[] = [];

  constructor(private readonly facts: StationFacts) {}

  set(evseId: number, profile: ChargingProfile, nowMs: number): { status: 'Accepted' | 'Rejected'; reason?: string } {
    const purpose = profile.chargingProfilePurpose;
    if (evseId !== 0 && !this.facts.evseIds.includes(evseId)) return { status: 'Rejected', reason: 'UnknownEvse' };
    if (purpose === 'ChargingStationMaxProfile' && evseId !== 0) return { status: 'Rejected', reason: 'MaxProfileNotOnEvse0' };
    if (purpose === 'TxProfile') {
      const tx = evseId ? this.facts.transactionOn(evseId) : undefined;
      if (!tx) return { status: 'Rejected', reason: 'NoTransaction' };
      if (profile.transactionId !== undefined && profile.transactionId !== tx.id) return { status: 'Rejected', reason: 'TxNotFound' };
      profile = { ...profile, transactionId: tx.id };
    }
    const periods = profile.chargingSchedule[0]?.chargingSchedulePeriod ?? [];
    if (!periods.length || periods[0]!.startPeriod !== 0 || periods.some((p, i) => i > 0 && p.startPeriod <= periods[i - 1]!.startPeriod)) {
      return { status: 'Rejected', reason: 'InvalidSchedule' };
    }
    // K01: the same id replaces; another profile with the same purpose and stack level on the EVSE conflicts.
    const conflict = this.installed.find((x) => x.profile.id !== profile.id && x.evseId === evseId && x.profile.chargingProfilePurpose === purpose
      && x.profile.stackLevel === profile.stackLevel && x.profile.transactionId === profile.transactionId);
    if (conflict) return { status: 'Rejected', reason: 'DuplicateProfile' };
    this.installed = this.installed.filter((x) => x.profile.id !== profile.id);
    this.installed.push({ evseId, profile, installedAtMs: nowMs });
    return { status: 'Accepted' };
  }

  clear(req: { chargingProfileId?: number; chargingProfileCriteria?: { evseId?: number; chargingProfilePurpose?: string; stackLevel?: number } }): 'Accepted' | 'Unknown' {
    const c = req.chargingProfileCriteria ?? {};
    const hit = (x: Installed) => req.chargingProfileId !== undefined
      ? x.profile.id === req.chargingProfileId
      : (c.evseId === undefined || x.evseId === c.evseId) && (c.chargingProfilePurpose === undefined || x.profile.chargingProfilePurpose === c.chargingProfilePurpose)
        && (c.stackLevel === undefined || x.profile.stackLevel === c.stackLevel);
    const before = this.installed.length;
    this.installed = this.installed.filter((x) => !hit(x));
    return this.installed.length < before ? 'Accepted' : 'Unknown';
  }

  /** Transaction profiles end with their transaction (K01: a TxProfile applies to one transaction only). */
  transactionEnded(transactionId: string): void {
    this.installed = this.installed.filter((x) => x.profile.transactionId !== transactionId);
  }

  query(req: { evseId?: number; chargingProfile: { chargingProfilePurpose?: string; stackLevel?: number; chargingProfileId?: number[]; chargingLimitSource?: string[] } }): Installed[] {
    const c = req.chargingProfile;
    // Every profile here was set by the CSMS: source CSO.
    if (c.chargingLimitSource && !c.chargingLimitSource.includes('CSO')) return [];
    return this.installed.filter((x) => (req.evseId === undefined || x.evseId === req.evseId)
      && (c.chargingProfilePurpose === undefined || x.profile.chargingProfilePurpose === c.chargingProfilePurpose)
      && (c.stackLevel === undefined || x.profile.stackLevel === c.stackLevel)
      && (!c.chargingProfileId?.length || c.chargingProfileId.includes(x.profile.id)));
  }

  /** The limit of one profile at a moment, or undefined when it does not apply then. */
  private limitAt(x: Installed, atMs: number, evseId: number): { limit: number; unit: 'A' | 'W'; phases: number } | undefined {
    const p = x.profile;
    if (p.validFrom && atMs < Date.parse(p.validFrom)) return undefined;
    if (p.validTo && atMs >= Date.parse(p.validTo)) return undefined;
    const s = p.chargingSchedule[0];
    if (!s) return undefined;
    let startMs: number;
    if (p.chargingProfileKind === 'Relative') startMs = this.facts.transactionOn(evseId)?.startedAtMs ?? atMs;
    else if (p.chargingProfileKind === 'Recurring') {
      const base = s.startSchedule ? Date.parse(s.startSchedule) : x.installedAtMs;
      const periodMs = (p.recurrencyKind === 'Weekly' ? 7 : 1) * 86_400_000;
      if (atMs < base) return undefined;
      startMs = base + Math.floor((atMs - base) / periodMs) * periodMs;
    } else startMs = s.startSchedule ? Date.parse(s.startSchedule) : p.validFrom ? Date.parse(p.validFrom) : x.installedAtMs;
    const elapsedS = Math.floor((atMs - startMs) / 1000);
    if (elapsedS < 0 || (s.duration !== undefined && elapsedS >= s.duration)) return undefined;
    let period: SchedulePeriod | undefined;
    for (const candidate of s.chargingSchedulePeriod) if (candidate.startPeriod <= elapsedS) period = candidate;
    return period && { limit: period.limit, unit: s.chargingRateUnit, phases: period.numberPhases ?? 3 };
  }

  /** The highest-stack applicable profile's limit for these purposes on these EVSEs. */
  private top(purposes: string[], evseIds: number[], evseId: number, atMs: number) {
    const candidates = this.installed
      .filter((x) => purposes.includes(x.profile.chargingProfilePurpose) && evseIds.includes(x.evseId))
      .sort((a, b) => b.profile.stackLevel - a.profile.stackLevel);
    for (const x of candidates) {
      const l = this.limitAt(x, atMs, evseId);
      if (l) return l;
    }
    return undefined;
  }

  /** The limit in force on an EVSE (0 = the station's grid connection) at a moment, in `unit`. */
  limit(evseId: number, atMs: number, unit: 'A' | 'W'): number {
    const station = evseId === 0;
    const evseCount = station ? Math.max(1, this.facts.evseIds.length) : 1;
    const limits = [unit === 'A' ? this.facts.maxCurrentA * evseCount : this.facts.maxPowerW * evseCount];
    const tx = station ? undefined : this.top(['TxProfile'], [evseId], evseId, atMs) ?? this.top(['TxDefaultProfile'], [evseId], evseId, atMs) ?? this.top(['TxDefaultProfile'], [0], evseId, atMs);
    for (const l of [this.top(['ChargingStationMaxProfile'], [0], evseId, atMs), this.top(['ChargingStationExternalConstraints'], station ? [0] : [0, evseId], evseId, atMs), tx]) {
      if (l) limits.push(toUnit(l.limit, l.unit, unit, l.phases));
    }
    return Math.round(Math.min(...limits) * 10) / 10;
  }

  /** The moments (ms) at which a profile's limit can change: validity bounds, schedule periods and ends, recurrences. */
  private boundaries(x: Installed, evseId: number, fromMs: number, toMs: number): number[] {
    const p = x.profile;
    const s = p.chargingSchedule[0];
    const out = [p.validFrom, p.validTo].filter((t): t is string => t !== undefined).map(Date.parse);
    const tx = this.facts.transactionOn(evseId);
    // a Relative schedule without a transaction is evaluated as starting at every moment: it never changes
    if (!s || (p.chargingProfileKind === 'Relative' && !tx)) return out;
    const starts: number[] = [];
    if (p.chargingProfileKind === 'Relative') starts.push(tx!.startedAtMs);
    else if (p.chargingProfileKind === 'Recurring') {
      const base = s.startSchedule ? Date.parse(s.startSchedule) : x.installedAtMs;
      const periodMs = (p.recurrencyKind === 'Weekly' ? 7 : 1) * 86_400_000;
      for (let k = Math.max(0, Math.floor((fromMs - base) / periodMs)); base + k * periodMs <= toMs; k++) starts.push(base + k * periodMs);
    } else starts.push(s.startSchedule ? Date.parse(s.startSchedule) : p.validFrom ? Date.parse(p.validFrom) : x.installedAtMs);
    for (const start of starts) {
      out.push(...s.chargingSchedulePeriod.map((period) => start + period.startPeriod * 1000));
      if (s.duration !== undefined) out.push(start + s.duration * 1000);
    }
    return out;
  }

  /**
   * K08 GetCompositeSchedule: the limit over `durationS` seconds from now as periods. The limit only changes where
   * some profile's does, so it is evaluated at those seconds (and at 0) and equal neighbours are merged; this is
   * the same as evaluating every second (smart-charging201.test.ts checks that).
   */
  composite(evseId: number, durationS: number, unit: 'A' | 'W' | undefined, nowMs: number): { chargingRateUnit: 'A' | 'W'; chargingSchedulePeriod: SchedulePeriod[] } {
    const txUnit = this.installed.find((x) => x.evseId === evseId && x.profile.chargingProfilePurpose === 'TxProfile')?.profile.chargingSchedule[0]?.chargingRateUnit;
    const rateUnit = unit ?? txUnit ?? 'A';
    const endMs = nowMs + Math.max(1, durationS) * 1000;
    const seconds = new Set([0]);
    for (const x of this.installed) {
      for (const b of this.boundaries(x, evseId, nowMs, endMs)) {
        const second = Math.ceil((b - nowMs) / 1000);
        if (second > 0 && second < Math.max(1, durationS)) seconds.add(second);
      }
    }
    const periods: SchedulePeriod[] = [];
    for (const second of [...seconds].sort((a, b) => a - b)) {
      const limit = this.limit(evseId, nowMs + second * 1000, rateUnit);
      if (periods[periods.length - 1]?.limit !== limit) periods.push({ startPeriod: second, limit });
    }
    return { chargingRateUnit: rateUnit, chargingSchedulePeriod: periods };
  }
}
