/**
 * Requests the stack sent again during a load run (RFC 3261 §17.1.1.2 Timer A for INVITE,
 * §17.1.2.2 Timer E for BYE and CANCEL): each client transaction counts its own; this keeps the
 * transactions of the run's stack and sums them, folding finished ones into a total so a long run
 * holds only the live ones.
 */
import type { ClientTransaction } from '../../sip/transaction/types.ts';
import type { SipStack } from '../stack/sip-stack.ts';

export function countRetransmissions(stack: SipStack): () => number {
  const ua = stack.ua;
  const live = new Set<ClientTransaction>();
  let done = 0;
  const send = ua.sendRequest.bind(ua);
  ua.sendRequest = (...args: Parameters<typeof ua.sendRequest>): ClientTransaction => {
    const tx = send(...args);
    live.add(tx);
    // Fold terminated transactions now and then (every 256 new ones) to bound the set.
    if (live.size % 256 === 0) {
      for (const t of live) {
        if (t.state === 'Terminated') {
          done += t.retransmissions;
          live.delete(t);
        }
      }
    }
    return tx;
  };
  return () => {
    let n = done;
    for (const t of live) n += t.retransmissions;
    return n;
  };
}
