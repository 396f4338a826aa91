/** Authorize (OCPP 1.6 §4.1): the domain decides; a refusal is an answer, not an error. */
import type { ActionHandler } from '../adapter.js';
import { toIdTagInfo } from './id-tag-info.js';

export const authorize: ActionHandler = async (identity, p, ctx) => {
  const auth = await ctx.transactions.authorize(identity, { idTag: p.idTag, type: 'ISO14443' });
  return { idTagInfo: toIdTagInfo(auth) };
};
