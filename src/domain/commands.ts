/**
 * Remote starts the bridge asked a charger for (OCPI START_SESSION): remembered so the transaction that
 * follows is the eMSP's — auth_method COMMAND, the command's token and authorization_reference — and so the
 * charger's own Authorize for that idTag (1.6 AuthorizeRemoteTxRequests, 2.0.1 AuthCtrlr.AuthorizeRemoteStart)
 * is answered Accepted without asking the eMSP again (OCPI mod_commands: no real-time authorization within
 * 15 minutes of the command at that EVSE). OCPP 1.6 StartTransaction carries no correlation id: it is matched
 * by idTag + connector + time window; 2.0.1 by remoteStartId. Kept in memory: a start not seen within the
 * window is forgotten (no session is left PENDING by a start that never happened).
 */
import type { Clock } from './ports.js';

export const REMOTE_START_WINDOW_MS = 15 * 60_000;

export interface PendingRemoteStart {
  identity: string;
  /** The idTag / idToken as sent to the charger (the alias for long uids on 1.6). */
  idTag: string;
  /** Absent when the eMSP named no EVSE (the charger picks). */
  evseOcppId?: number;
  remoteStartId: number;
  tokenRowId: number | null;
  platformId: number;
  authorizationReference?: string;
  createdAtMs: number;
}

export interface RemoteStartMatch {
  evseOcppId?: number;
  remoteStartId?: number;
}

export type RemoteStartRegistry = ReturnType<typeof createRemoteStartRegistry>;

export function createRemoteStartRegistry(deps: { clock: Clock; windowMs?: number }) {
  const windowMs = deps.windowMs ?? REMOTE_START_WINDOW_MS;
  const byCharger = new Map<string, PendingRemoteStart[]>();
  // 2.0.1 remoteStartId is an integer we pick: random in 31 bits, never 0.
  let nextId = 1 + Math.floor(Math.random() * 2 ** 30);

  function live(identity: string): PendingRemoteStart[] {
    const cutoff = deps.clock.now().getTime() - windowMs;
    const list = (byCharger.get(identity) ?? []).filter((p) => p.createdAtMs >= cutoff);
    if (list.length) byCharger.set(identity, list);
    else byCharger.delete(identity);
    return list;
  }

  function find(identity: string, idTag: string | undefined, m: RemoteStartMatch): PendingRemoteStart | undefined {
    const list = live(identity);
    if (m.remoteStartId !== undefined) {
      const byId = list.find((p) => p.remoteStartId === m.remoteStartId);
      if (byId) return byId;
    }
    if (idTag === undefined) return undefined;
    const tag = idTag.toUpperCase();
    // Newest first; an EVSE named on both sides must agree (1.6: connector + idTag + window).
    return [...list].reverse().find((p) => p.idTag.toUpperCase() === tag && (p.evseOcppId === undefined || m.evseOcppId === undefined || p.evseOcppId === m.evseOcppId));
  }

  return {
    newRemoteStartId(): number {
      nextId = nextId >= 2 ** 31 - 1 ? 1 : nextId + 1;
      return nextId;
    },
    add(p: Omit<PendingRemoteStart, 'createdAtMs'>): PendingRemoteStart {
      const entry = { ...p, createdAtMs: deps.clock.now().getTime() };
      byCharger.set(p.identity, [...live(p.identity), entry]);
      return entry;
    },
    /** A pending start for this charger and idTag (or remoteStartId), without using it up (Authorize). */
    peek: find,
    /** The pending start the transaction now beginning belongs to; used up. */
    take(identity: string, idTag: string | undefined, m: RemoteStartMatch): PendingRemoteStart | undefined {
      const hit = find(identity, idTag, m);
      if (hit) byCharger.set(identity, live(identity).filter((p) => p !== hit));
      return hit;
    },
    /** The charger refused or never answered: nothing will start. */
    cancel(entry: PendingRemoteStart): void {
      byCharger.set(entry.identity, live(entry.identity).filter((p) => p !== entry));
    },
    size(): number {
      let n = 0;
      for (const identity of [...byCharger.keys()]) n += live(identity).length;
      return n;
    },
  };
}
