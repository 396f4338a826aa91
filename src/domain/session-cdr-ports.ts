/**
 * Storage of the OCPI views of transactions: Sessions (rewritten while a transaction runs) and CDRs
 * (written once, immutable, with their delivery state). Stored as the 2.2.1 wire JSON, so a page of them is
 * served by joining stored strings (reference/performance-limits.md §3: 4x faster than parse + serialise).
 */
import type { Page, PageQuery } from './ocpi-ports.js';

export interface StoredSession {
  id: string;
  /** Null for a reservation's session until a transaction uses the reservation. */
  transactionRowId: number | null;
  platformId: number | null;
  status: string;
  json: string;
  lastUpdatedMs: number;
}

export interface StoredCdr {
  id: string;
  transactionRowId: number | null;
  platformId: number | null;
  credit: boolean;
  json: string;
  lastUpdatedMs: number;
  deliveredAtMs: number | null;
  deliveredLocation: string | null;
  attempts: number;
  nextAttemptAtMs: number | null;
  lastError: string | null;
}

/** A reservation's session (OCPI mod_commands RESERVE_NOW "creates a Session"): one reservation period of a reservation row. */
export interface ReservationSessionRecord {
  sessionId: string;
  reservationRowId: number;
  platformId: number | null;
  startedAtMs: number;
  /** When the reservation ended: the transaction's start (used), the expiry (expired) or the cancellation. */
  endedAtMs: number | null;
  outcome: 'used' | 'expired' | 'cancelled' | null;
  /** The transaction that used the reservation and continues this session. */
  transactionRowId: number | null;
  /** The RESERVE_NOW's token and authorization_reference. */
  tokenRowId: number | null;
  authorizationReference: string | null;
  /** The reserved place and its tariffs at the reservation's start (domain/snapshot.ts data). */
  snapshotJson: string;
  updatedAtMs: number;
}

export interface ReservationSessionStore {
  insertReservationSession(r: ReservationSessionRecord): void;
  getReservationSession(sessionId: string): ReservationSessionRecord | undefined;
  /** The reservation's session that has not ended, if any. */
  openReservationSession(reservationRowId: number): ReservationSessionRecord | undefined;
  reservationSessionOfTransaction(transactionRowId: number): ReservationSessionRecord | undefined;
  endReservationSession(sessionId: string, end: { outcome: 'used' | 'expired' | 'cancelled'; endedAtMs: number; transactionRowId: number | null; updatedAtMs: number }): void;
  /** Expired reservations' sessions without a CDR (crash between expiry and CDR), oldest first. */
  expiredReservationSessionsWithoutCdr(limit: number): string[];
}

export interface SessionCdrStore extends ReservationSessionStore {
  upsertSession(s: StoredSession): void;
  getSession(id: string): StoredSession | undefined;
  /** The platform's sessions ordered by (last_updated, id); `after` is the `${lastUpdatedMs}|${id}` of the previous page's last row. */
  sessionPage(platformId: number, q: PageQuery): Page<string>;
  /** Inserts a CDR; false when one with this id exists (CDRs are immutable). Deliverable ones get a first attempt now. */
  insertCdr(c: Omit<StoredCdr, 'deliveredAtMs' | 'deliveredLocation' | 'attempts' | 'nextAttemptAtMs' | 'lastError'>, deliverAtMs: number | null): boolean;
  getCdr(id: string): StoredCdr | undefined;
  cdrOfTransaction(transactionRowId: number): StoredCdr | undefined;
  cdrPage(platformId: number, q: PageQuery): Page<string>;
  dueCdrs(nowMs: number, limit: number): StoredCdr[];
  cdrDelivered(id: string, location: string | null, atMs: number): void;
  cdrRetry(id: string, attempts: number, nextAttemptAtMs: number, error: string): void;
  undeliveredCdrs(): { count: number; oldestMs: number | null };
  /** Ended transactions without a CDR (after a crash, or the settle delay not yet passed), oldest first. */
  endedTransactionsWithoutCdr(limit: number): number[];
}
