/** Domain authorization result -> OCPP 1.6 IdTagInfo (§7.29); statuses 1.6 lacks become Invalid. */
import type { AuthorizationResult } from '../../domain/model.js';

const V16_STATUSES = new Set(['Accepted', 'Blocked', 'Expired', 'Invalid', 'ConcurrentTx']);

export function toIdTagInfo(auth: AuthorizationResult): { status: string; expiryDate?: string; parentIdTag?: string } {
  return {
    status: V16_STATUSES.has(auth.status) ? auth.status : 'Invalid',
    ...(auth.expiresAt ? { expiryDate: auth.expiresAt.toISOString() } : {}),
    ...(auth.groupIdTag ? { parentIdTag: auth.groupIdTag.slice(0, 20) } : {}),
  };
}
