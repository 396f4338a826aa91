/**
 * The technician's actions on a charger, through the ChargerCommands port: reset (soft / hard), change
 * availability of an EVSE, unlock a connector, trigger a StatusNotification, stop a session. Each is parsed
 * from the request, described for its confirmation page, and its outcome (including "the charger is offline:
 * nothing was sent") becomes the one-time message shown after the redirect.
 */
import type { ChargerCommands, CommandOutcome } from '../domain/ports.js';
import type { TransactionRecord } from '../domain/records.js';
import type { Flash } from './auth.js';
import type { ChargerView } from './data.js';

export type ActionName = 'reset-soft' | 'reset-hard' | 'trigger-status' | 'availability' | 'unlock';
export const ACTIONS: ActionName[] = ['reset-soft', 'reset-hard', 'trigger-status', 'availability', 'unlock'];

export interface ActionRequest {
  name: ActionName;
  evse?: number;
  connector?: number;
  operative?: boolean;
}

/** The request, or why it is not a valid action on this charger. */
export function parseAction(name: string, q: { evse?: string; connector?: string; operative?: string }, c: ChargerView): ActionRequest | { error: string } {
  if (!(ACTIONS as string[]).includes(name)) return { error: `unknown action "${name}"` };
  const action = name as ActionName;
  const evse = q.evse !== undefined && q.evse !== '' ? Number(q.evse) : undefined;
  if (evse !== undefined && (!Number.isInteger(evse) || !c.evses.some((e) => e.ocppId === evse))) return { error: `${c.identity} has no EVSE ${q.evse}` };
  const connector = q.connector ? Number(q.connector) : undefined;
  if (connector !== undefined && (!Number.isInteger(connector) || connector < 1)) return { error: `bad connector "${q.connector}"` };
  if ((action === 'availability' || action === 'unlock') && evse === undefined) return { error: `${action} needs an EVSE` };
  if (action === 'availability' && q.operative !== '0' && q.operative !== '1') return { error: 'availability needs operative=1 or operative=0' };
  return { name: action, evse, connector, operative: action === 'availability' ? q.operative === '1' : undefined };
}

export function actionQuery(r: ActionRequest): string {
  const p = new URLSearchParams();
  if (r.evse !== undefined) p.set('evse', String(r.evse));
  if (r.connector !== undefined) p.set('connector', String(r.connector));
  if (r.operative !== undefined) p.set('operative', r.operative ? '1' : '0');
  const s = p.toString();
  return s ? `?${s}` : '';
}

export function describeAction(identity: string, r: ActionRequest, activeSessions: number): { label: string; question: string; detail: string; danger: boolean } {
  const sessions = activeSessions ? ` ${activeSessions} running session${activeSessions === 1 ? '' : 's'} may be stopped by the charger.` : '';
  switch (r.name) {
    case 'reset-soft':
      return { label: 'Soft reset', question: `Soft-reset ${identity}?`, detail: `The charger restarts its software and reconnects.${sessions}`, danger: activeSessions > 0 };
    case 'reset-hard':
      return { label: 'Hard reset', question: `Hard-reset ${identity}?`, detail: `The charger reboots completely (like a power cycle) and reconnects.${sessions}`, danger: true };
    case 'trigger-status':
      return { label: 'Trigger StatusNotification', question: `Ask ${identity} to send its status${r.evse !== undefined ? ` for EVSE ${r.evse}` : ''}?`, detail: 'Harmless: the charger reports its current status again.', danger: false };
    case 'availability':
      return {
        label: r.operative ? 'Make operative' : 'Make inoperative',
        question: `Make EVSE ${r.evse} of ${identity} ${r.operative ? 'operative' : 'inoperative'}?`,
        detail: r.operative ? 'Drivers can charge there again.' : 'Drivers cannot start charging there until it is made operative again; a running session finishes first.',
        danger: !r.operative,
      };
    case 'unlock':
      return { label: 'Unlock connector', question: `Unlock the connector of EVSE ${r.evse} on ${identity}?`, detail: 'Releases a stuck cable. A running session there is stopped by the charger.', danger: true };
  }
}

/** The flash for a command's outcome; `good` lists the answers that mean it worked. */
export function outcomeFlash(identity: string, label: string, outcome: CommandOutcome<{ status: string }>, good: string[]): Flash {
  if (outcome.ok) {
    const status = outcome.value.status;
    return { kind: good.includes(status) ? 'ok' : 'warn', text: `${label}: ${identity} answered ${status}.` };
  }
  switch (outcome.reason) {
    case 'offline':
    case 'unknown-charger':
      return { kind: 'error', text: `${identity} is offline: ${label} was not sent and nothing is queued. Try again once it is connected.` };
    case 'timeout':
      return { kind: 'error', text: `${label}: ${identity} did not answer in time. It may still act on it.` };
    case 'not-supported':
      return { kind: 'warn', text: `${label}: ${identity} does not support this (${outcome.message}).` };
    case 'invalid-answer':
      return { kind: 'error', text: `${label}: ${identity} answered in a form OCPP does not allow (a firmware defect), so the bridge cannot tell what it did. ${outcome.message}` };
    default:
      return { kind: 'error', text: `${label} failed: ${outcome.message}` };
  }
}

export async function runAction(commands: ChargerCommands, identity: string, r: ActionRequest): Promise<Flash> {
  const label = describeAction(identity, r, 0).label;
  if (!commands.isConnected(identity)) return outcomeFlash(identity, label, { ok: false, reason: 'offline', message: 'not connected' }, []);
  switch (r.name) {
    case 'reset-soft':
    case 'reset-hard':
      return outcomeFlash(identity, label, await commands.send(identity, 'reset', { kind: r.name === 'reset-soft' ? 'soft' : 'hard' }), ['Accepted', 'Scheduled']);
    case 'trigger-status':
      return outcomeFlash(identity, label, await commands.send(identity, 'triggerMessage', { message: 'StatusNotification', ...(r.evse !== undefined ? { evseOcppId: r.evse } : {}) }), ['Accepted']);
    case 'availability':
      return outcomeFlash(identity, label, await commands.send(identity, 'changeAvailability', { evseOcppId: r.evse!, operative: r.operative! }), ['Accepted', 'Scheduled']);
    case 'unlock':
      return outcomeFlash(identity, label, await commands.send(identity, 'unlockConnector', { evseOcppId: r.evse!, ...(r.connector !== undefined ? { connectorOcppId: r.connector } : {}) }), ['Unlocked']);
  }
}

export async function stopSession(commands: ChargerCommands, tx: TransactionRecord): Promise<Flash> {
  const label = `Remote stop of transaction ${tx.ocppTransactionId}`;
  if (!commands.isConnected(tx.chargerIdentity)) return outcomeFlash(tx.chargerIdentity, label, { ok: false, reason: 'offline', message: 'not connected' }, []);
  return outcomeFlash(tx.chargerIdentity, label, await commands.send(tx.chargerIdentity, 'remoteStop', { ocppTransactionId: tx.ocppTransactionId }), ['Accepted']);
}
