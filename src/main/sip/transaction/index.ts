/** The RFC 3261 §17 transaction layer. */
export { TransactionLayer, type TransactionLayerOptions } from './transaction-layer.ts';
export type { ClientTransaction, ClientTxUser, ServerTransaction, TxState } from './types.ts';
export {
  resolveTimers,
  DEFAULT_T1,
  DEFAULT_T2,
  DEFAULT_T4,
  type TimerConfig,
  type TransactionTimers,
} from './timers.ts';
export { generateBranch, isRfc3261Branch } from './branch.ts';
export { buildNon2xxAck } from './ict.ts';
export { buildTrying } from './ist.ts';
export {
  branchOf,
  clientKey,
  findCancelTarget,
  legacyMatches,
  matchServerTx,
  responseClientKey,
  sentByOf,
  serverKey,
  type LegacyCandidate,
  type ServerTxIndex,
} from './matching.ts';
